import * as $protobuf from "protobufjs";
import Long = require("long");

/**
 * Properties of a PeerRecord.
 * @deprecated Use PeerRecord.$Properties instead.
 */
export interface IPeerRecord extends PeerRecord.$Properties {
}

/** Represents a PeerRecord. */
export class PeerRecord {

    /**
     * Constructs a new PeerRecord.
     * @param [properties] Properties to set
     */
    constructor(properties?: PeerRecord.$Properties);

    /** Unknown fields preserved while decoding when enabled */
    $unknowns?: Uint8Array[];

    /** PeerRecord peerId. */
    peerId: Uint8Array;

    /** PeerRecord seq. */
    seq: (number|Long);

    /** PeerRecord addresses. */
    addresses: PeerRecord.AddressInfo.$Properties[];

    /**
     * Encodes the specified PeerRecord message. Does not implicitly {@link PeerRecord.verify|verify} messages.
     * @param message PeerRecord message or plain object to encode
     * @param [writer] Writer to encode to
     * @returns Writer
     */
    static encode(message: PeerRecord.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

    /**
     * Decodes a PeerRecord message from the specified reader or buffer.
     * @param reader Reader or buffer to decode from
     * @param [length] Message length if known beforehand
     * @returns {PeerRecord & PeerRecord.$Shape} PeerRecord
     * @throws {Error} If the payload is not a reader or valid buffer
     * @throws {$protobuf.util.ProtocolError} If required fields are missing
     */
    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): PeerRecord & PeerRecord.$Shape;
}

export namespace PeerRecord {

    /** Properties of a PeerRecord. */
    interface $Properties {

        /** PeerRecord peerId */
        peerId?: (Uint8Array|null);

        /** PeerRecord seq */
        seq?: (number|Long|null);

        /** PeerRecord addresses */
        addresses?: (PeerRecord.AddressInfo.$Properties[]|null);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];
    }

    /** Shape of a PeerRecord. */
    type $Shape = PeerRecord.$Properties;

    /**
     * Properties of an AddressInfo.
     * @deprecated Use PeerRecord.AddressInfo.$Properties instead.
     */
    interface IAddressInfo extends PeerRecord.AddressInfo.$Properties {
    }

    /** Represents an AddressInfo. */
    class AddressInfo {

        /**
         * Constructs a new AddressInfo.
         * @param [properties] Properties to set
         */
        constructor(properties?: PeerRecord.AddressInfo.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** AddressInfo multiaddr. */
        multiaddr: Uint8Array;

        /**
         * Encodes the specified AddressInfo message. Does not implicitly {@link PeerRecord.AddressInfo.verify|verify} messages.
         * @param message AddressInfo message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: PeerRecord.AddressInfo.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes an AddressInfo message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {PeerRecord.AddressInfo & PeerRecord.AddressInfo.$Shape} AddressInfo
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): PeerRecord.AddressInfo & PeerRecord.AddressInfo.$Shape;
    }

    namespace AddressInfo {

        /** Properties of an AddressInfo. */
        interface $Properties {

            /** AddressInfo multiaddr */
            multiaddr?: (Uint8Array|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of an AddressInfo. */
        type $Shape = PeerRecord.AddressInfo.$Properties;
    }
}
