import * as $protobuf from "protobufjs";
import Long = require("long");

/**
 * Properties of a NoiseExtensions.
 * @deprecated Use NoiseExtensions.$Properties instead.
 */
export interface INoiseExtensions extends NoiseExtensions.$Properties {
}

/** Represents a NoiseExtensions. */
export class NoiseExtensions {

    /**
     * Constructs a new NoiseExtensions.
     * @param [properties] Properties to set
     */
    constructor(properties?: NoiseExtensions.$Properties);

    /** Unknown fields preserved while decoding when enabled */
    $unknowns?: Uint8Array[];

    /** NoiseExtensions webtransportCerthashes. */
    webtransportCerthashes: Uint8Array[];

    /** NoiseExtensions streamMuxers. */
    streamMuxers: string[];

    /**
     * Encodes the specified NoiseExtensions message. Does not implicitly {@link NoiseExtensions.verify|verify} messages.
     * @param message NoiseExtensions message or plain object to encode
     * @param [writer] Writer to encode to
     * @returns Writer
     */
    static encode(message: NoiseExtensions.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

    /**
     * Decodes a NoiseExtensions message from the specified reader or buffer.
     * @param reader Reader or buffer to decode from
     * @param [length] Message length if known beforehand
     * @returns {NoiseExtensions & NoiseExtensions.$Shape} NoiseExtensions
     * @throws {Error} If the payload is not a reader or valid buffer
     * @throws {$protobuf.util.ProtocolError} If required fields are missing
     */
    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): NoiseExtensions & NoiseExtensions.$Shape;
}

export namespace NoiseExtensions {

    /** Properties of a NoiseExtensions. */
    interface $Properties {

        /** NoiseExtensions webtransportCerthashes */
        webtransportCerthashes?: (Uint8Array[]|null);

        /** NoiseExtensions streamMuxers */
        streamMuxers?: (string[]|null);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];
    }

    /** Shape of a NoiseExtensions. */
    type $Shape = NoiseExtensions.$Properties;
}

/**
 * Properties of a NoiseHandshakePayload.
 * @deprecated Use NoiseHandshakePayload.$Properties instead.
 */
export interface INoiseHandshakePayload extends NoiseHandshakePayload.$Properties {
}

/** Represents a NoiseHandshakePayload. */
export class NoiseHandshakePayload {

    /**
     * Constructs a new NoiseHandshakePayload.
     * @param [properties] Properties to set
     */
    constructor(properties?: NoiseHandshakePayload.$Properties);

    /** Unknown fields preserved while decoding when enabled */
    $unknowns?: Uint8Array[];

    /** NoiseHandshakePayload identityKey. */
    identityKey: Uint8Array;

    /** NoiseHandshakePayload identitySig. */
    identitySig: Uint8Array;

    /** NoiseHandshakePayload extensions. */
    extensions?: (NoiseExtensions.$Properties|null);

    /**
     * Encodes the specified NoiseHandshakePayload message. Does not implicitly {@link NoiseHandshakePayload.verify|verify} messages.
     * @param message NoiseHandshakePayload message or plain object to encode
     * @param [writer] Writer to encode to
     * @returns Writer
     */
    static encode(message: NoiseHandshakePayload.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

    /**
     * Decodes a NoiseHandshakePayload message from the specified reader or buffer.
     * @param reader Reader or buffer to decode from
     * @param [length] Message length if known beforehand
     * @returns {NoiseHandshakePayload & NoiseHandshakePayload.$Shape} NoiseHandshakePayload
     * @throws {Error} If the payload is not a reader or valid buffer
     * @throws {$protobuf.util.ProtocolError} If required fields are missing
     */
    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): NoiseHandshakePayload & NoiseHandshakePayload.$Shape;
}

export namespace NoiseHandshakePayload {

    /** Properties of a NoiseHandshakePayload. */
    interface $Properties {

        /** NoiseHandshakePayload identityKey */
        identityKey?: (Uint8Array|null);

        /** NoiseHandshakePayload identitySig */
        identitySig?: (Uint8Array|null);

        /** NoiseHandshakePayload extensions */
        extensions?: (NoiseExtensions.$Properties|null);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];
    }

    /** Shape of a NoiseHandshakePayload. */
    type $Shape = NoiseHandshakePayload.$Properties;
}
