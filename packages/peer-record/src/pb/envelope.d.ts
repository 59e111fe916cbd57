import * as $protobuf from "protobufjs";
import Long = require("long");

/**
 * Properties of an Envelope.
 * @deprecated Use Envelope.$Properties instead.
 */
export interface IEnvelope extends Envelope.$Properties {
}

/** Represents an Envelope. */
export class Envelope {

    /**
     * Constructs a new Envelope.
     * @param [properties] Properties to set
     */
    constructor(properties?: Envelope.$Properties);

    /** Unknown fields preserved while decoding when enabled */
    $unknowns?: Uint8Array[];

    /** Envelope publicKey. */
    publicKey: Uint8Array;

    /** Envelope payloadType. */
    payloadType: Uint8Array;

    /** Envelope payload. */
    payload: Uint8Array;

    /** Envelope signature. */
    signature: Uint8Array;

    /**
     * Encodes the specified Envelope message. Does not implicitly {@link Envelope.verify|verify} messages.
     * @param message Envelope message or plain object to encode
     * @param [writer] Writer to encode to
     * @returns Writer
     */
    static encode(message: Envelope.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

    /**
     * Decodes an Envelope message from the specified reader or buffer.
     * @param reader Reader or buffer to decode from
     * @param [length] Message length if known beforehand
     * @returns {Envelope & Envelope.$Shape} Envelope
     * @throws {Error} If the payload is not a reader or valid buffer
     * @throws {$protobuf.util.ProtocolError} If required fields are missing
     */
    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): Envelope & Envelope.$Shape;
}

export namespace Envelope {

    /** Properties of an Envelope. */
    interface $Properties {

        /** Envelope publicKey */
        publicKey?: (Uint8Array|null);

        /** Envelope payloadType */
        payloadType?: (Uint8Array|null);

        /** Envelope payload */
        payload?: (Uint8Array|null);

        /** Envelope signature */
        signature?: (Uint8Array|null);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];
    }

    /** Shape of an Envelope. */
    type $Shape = Envelope.$Properties;
}
