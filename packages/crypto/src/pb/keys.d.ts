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
 * Properties of a PrivateKey.
 * @deprecated Use PrivateKey.$Properties instead.
 */
export interface IPrivateKey extends PrivateKey.$Properties {
}

/** Represents a PrivateKey. */
export class PrivateKey {

    /**
     * Constructs a new PrivateKey.
     * @param [properties] Properties to set
     */
    constructor(properties?: PrivateKey.$Properties);

    /** Unknown fields preserved while decoding when enabled */
    $unknowns?: Uint8Array[];

    /** PrivateKey Type. */
    Type: KeyType;

    /** PrivateKey Data. */
    Data: Uint8Array;

    /**
     * Encodes the specified PrivateKey message. Does not implicitly {@link PrivateKey.verify|verify} messages.
     * @param message PrivateKey message or plain object to encode
     * @param [writer] Writer to encode to
     * @returns Writer
     */
    static encode(message: PrivateKey.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

    /**
     * Decodes a PrivateKey message from the specified reader or buffer.
     * @param reader Reader or buffer to decode from
     * @param [length] Message length if known beforehand
     * @returns {PrivateKey & PrivateKey.$Shape} PrivateKey
     * @throws {Error} If the payload is not a reader or valid buffer
     * @throws {$protobuf.util.ProtocolError} If required fields are missing
     */
    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): PrivateKey & PrivateKey.$Shape;
}

export namespace PrivateKey {

    /** Properties of a PrivateKey. */
    interface $Properties {

        /** PrivateKey Type */
        Type: KeyType;

        /** PrivateKey Data */
        Data: Uint8Array;

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];
    }

    /** Shape of a PrivateKey. */
    type $Shape = PrivateKey.$Properties;
}
