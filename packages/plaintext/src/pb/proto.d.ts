import * as $protobuf from "protobufjs";
import Long = require("long");

/** KeyType enum. */
export enum KeyType {

    /** RSA value */
    RSA = 0,

    /** Ed25519 value */
    Ed25519 = 1,

    /** Secp256k1 value */
    Secp256k1 = 2,

    /** ECDSA value */
    ECDSA = 3
}

/**
 * Properties of a PublicKey.
 * @deprecated Use PublicKey.$Properties instead.
 */
export interface IPublicKey extends PublicKey.$Properties {
}

/** Represents a PublicKey. */
export class PublicKey {

    /**
     * Constructs a new PublicKey.
     * @param [properties] Properties to set
     */
    constructor(properties?: PublicKey.$Properties);

    /** Unknown fields preserved while decoding when enabled */
    $unknowns?: Uint8Array[];

    /** PublicKey Type. */
    Type: KeyType;

    /** PublicKey Data. */
    Data: Uint8Array;

    /**
     * Encodes the specified PublicKey message. Does not implicitly {@link PublicKey.verify|verify} messages.
     * @param message PublicKey message or plain object to encode
     * @param [writer] Writer to encode to
     * @returns Writer
     */
    static encode(message: PublicKey.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

    /**
     * Decodes a PublicKey message from the specified reader or buffer.
     * @param reader Reader or buffer to decode from
     * @param [length] Message length if known beforehand
     * @returns {PublicKey & PublicKey.$Shape} PublicKey
     * @throws {Error} If the payload is not a reader or valid buffer
     * @throws {$protobuf.util.ProtocolError} If required fields are missing
     */
    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): PublicKey & PublicKey.$Shape;
}

export namespace PublicKey {

    /** Properties of a PublicKey. */
    interface $Properties {

        /** PublicKey Type */
        Type: KeyType;

        /** PublicKey Data */
        Data: Uint8Array;

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];
    }

    /** Shape of a PublicKey. */
    type $Shape = PublicKey.$Properties;
}

/**
 * Properties of an Exchange.
 * @deprecated Use Exchange.$Properties instead.
 */
export interface IExchange extends Exchange.$Properties {
}

/** Represents an Exchange. */
export class Exchange {

    /**
     * Constructs a new Exchange.
     * @param [properties] Properties to set
     */
    constructor(properties?: Exchange.$Properties);

    /** Unknown fields preserved while decoding when enabled */
    $unknowns?: Uint8Array[];

    /** Exchange id. */
    id: Uint8Array;

    /** Exchange pubkey. */
    pubkey?: (PublicKey.$Properties|null);

    /**
     * Encodes the specified Exchange message. Does not implicitly {@link Exchange.verify|verify} messages.
     * @param message Exchange message or plain object to encode
     * @param [writer] Writer to encode to
     * @returns Writer
     */
    static encode(message: Exchange.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

    /**
     * Decodes an Exchange message from the specified reader or buffer.
     * @param reader Reader or buffer to decode from
     * @param [length] Message length if known beforehand
     * @returns {Exchange & Exchange.$Shape} Exchange
     * @throws {Error} If the payload is not a reader or valid buffer
     * @throws {$protobuf.util.ProtocolError} If required fields are missing
     */
    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): Exchange & Exchange.$Shape;
}

export namespace Exchange {

    /** Properties of an Exchange. */
    interface $Properties {

        /** Exchange id */
        id?: (Uint8Array|null);

        /** Exchange pubkey */
        pubkey?: (PublicKey.$Properties|null);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];
    }

    /** Shape of an Exchange. */
    type $Shape = Exchange.$Properties;
}
