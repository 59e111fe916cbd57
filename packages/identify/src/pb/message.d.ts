import * as $protobuf from "protobufjs";
import Long = require("long");

/**
 * Properties of an Identify.
 * @deprecated Use Identify.$Properties instead.
 */
export interface IIdentify extends Identify.$Properties {
}

/** Represents an Identify. */
export class Identify {

    /**
     * Constructs a new Identify.
     * @param [properties] Properties to set
     */
    constructor(properties?: Identify.$Properties);

    /** Unknown fields preserved while decoding when enabled */
    $unknowns?: Uint8Array[];

    /** Identify protocolVersion. */
    protocolVersion: string;

    /** Identify agentVersion. */
    agentVersion: string;

    /** Identify publicKey. */
    publicKey: Uint8Array;

    /** Identify listenAddrs. */
    listenAddrs: Uint8Array[];

    /** Identify observedAddr. */
    observedAddr: Uint8Array;

    /** Identify protocols. */
    protocols: string[];

    /** Identify signedPeerRecord. */
    signedPeerRecord: Uint8Array;

    /**
     * Encodes the specified Identify message. Does not implicitly {@link Identify.verify|verify} messages.
     * @param message Identify message or plain object to encode
     * @param [writer] Writer to encode to
     * @returns Writer
     */
    static encode(message: Identify.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

    /**
     * Decodes an Identify message from the specified reader or buffer.
     * @param reader Reader or buffer to decode from
     * @param [length] Message length if known beforehand
     * @returns {Identify & Identify.$Shape} Identify
     * @throws {Error} If the payload is not a reader or valid buffer
     * @throws {$protobuf.util.ProtocolError} If required fields are missing
     */
    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): Identify & Identify.$Shape;
}

export namespace Identify {

    /** Properties of an Identify. */
    interface $Properties {

        /** Identify protocolVersion */
        protocolVersion?: (string|null);

        /** Identify agentVersion */
        agentVersion?: (string|null);

        /** Identify publicKey */
        publicKey?: (Uint8Array|null);

        /** Identify listenAddrs */
        listenAddrs?: (Uint8Array[]|null);

        /** Identify observedAddr */
        observedAddr?: (Uint8Array|null);

        /** Identify protocols */
        protocols?: (string[]|null);

        /** Identify signedPeerRecord */
        signedPeerRecord?: (Uint8Array|null);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];
    }

    /** Shape of an Identify. */
    type $Shape = Identify.$Properties;
}
