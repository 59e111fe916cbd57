import * as $protobuf from "protobufjs";
import Long = require("long");

/**
 * Properties of a Record.
 * @deprecated Use Record.$Properties instead.
 */
export interface IRecord extends Record.$Properties {
}

/** Represents a Record. */
export class Record {

    /**
     * Constructs a new Record.
     * @param [properties] Properties to set
     */
    constructor(properties?: Record.$Properties);

    /** Unknown fields preserved while decoding when enabled */
    $unknowns?: Uint8Array[];

    /** Record key. */
    key?: (Uint8Array|null);

    /** Record value. */
    value?: (Uint8Array|null);

    /** Record timeReceived. */
    timeReceived?: (string|null);

    /**
     * Encodes the specified Record message. Does not implicitly {@link Record.verify|verify} messages.
     * @param message Record message or plain object to encode
     * @param [writer] Writer to encode to
     * @returns Writer
     */
    static encode(message: Record.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

    /**
     * Decodes a Record message from the specified reader or buffer.
     * @param reader Reader or buffer to decode from
     * @param [length] Message length if known beforehand
     * @returns {Record & Record.$Shape} Record
     * @throws {Error} If the payload is not a reader or valid buffer
     * @throws {$protobuf.util.ProtocolError} If required fields are missing
     */
    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): Record & Record.$Shape;
}

export namespace Record {

    /** Properties of a Record. */
    interface $Properties {

        /** Record key */
        key?: (Uint8Array|null);

        /** Record value */
        value?: (Uint8Array|null);

        /** Record timeReceived */
        timeReceived?: (string|null);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];
    }

    /** Shape of a Record. */
    type $Shape = Record.$Properties;
}

/**
 * Properties of a Message.
 * @deprecated Use Message.$Properties instead.
 */
export interface IMessage extends Message.$Properties {
}

/** Represents a Message. */
export class Message {

    /**
     * Constructs a new Message.
     * @param [properties] Properties to set
     */
    constructor(properties?: Message.$Properties);

    /** Unknown fields preserved while decoding when enabled */
    $unknowns?: Uint8Array[];

    /** Message type. */
    type?: (Message.MessageType|null);

    /** Message clusterLevelRaw. */
    clusterLevelRaw?: (number|null);

    /** Message key. */
    key?: (Uint8Array|null);

    /** Message record. */
    record?: (Record.$Properties|null);

    /** Message closerPeers. */
    closerPeers: Message.Peer.$Properties[];

    /** Message providerPeers. */
    providerPeers: Message.Peer.$Properties[];

    /**
     * Encodes the specified Message message. Does not implicitly {@link Message.verify|verify} messages.
     * @param message Message message or plain object to encode
     * @param [writer] Writer to encode to
     * @returns Writer
     */
    static encode(message: Message.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

    /**
     * Decodes a Message message from the specified reader or buffer.
     * @param reader Reader or buffer to decode from
     * @param [length] Message length if known beforehand
     * @returns {Message & Message.$Shape} Message
     * @throws {Error} If the payload is not a reader or valid buffer
     * @throws {$protobuf.util.ProtocolError} If required fields are missing
     */
    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): Message & Message.$Shape;
}

export namespace Message {

    /** Properties of a Message. */
    interface $Properties {

        /** Message type */
        type?: (Message.MessageType|null);

        /** Message clusterLevelRaw */
        clusterLevelRaw?: (number|null);

        /** Message key */
        key?: (Uint8Array|null);

        /** Message record */
        record?: (Record.$Properties|null);

        /** Message closerPeers */
        closerPeers?: (Message.Peer.$Properties[]|null);

        /** Message providerPeers */
        providerPeers?: (Message.Peer.$Properties[]|null);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];
    }

    /** Shape of a Message. */
    type $Shape = Message.$Properties;

    /** MessageType enum. */
    enum MessageType {

        /** PUT_VALUE value */
        PUT_VALUE = 0,

        /** GET_VALUE value */
        GET_VALUE = 1,

        /** ADD_PROVIDER value */
        ADD_PROVIDER = 2,

        /** GET_PROVIDERS value */
        GET_PROVIDERS = 3,

        /** FIND_NODE value */
        FIND_NODE = 4,

        /** PING value */
        PING = 5
    }

    /** ConnectionType enum. */
    enum ConnectionType {

        /** NOT_CONNECTED value */
        NOT_CONNECTED = 0,

        /** CONNECTED value */
        CONNECTED = 1,

        /** CAN_CONNECT value */
        CAN_CONNECT = 2,

        /** CANNOT_CONNECT value */
        CANNOT_CONNECT = 3
    }

    /**
     * Properties of a Peer.
     * @deprecated Use Message.Peer.$Properties instead.
     */
    interface IPeer extends Message.Peer.$Properties {
    }

    /** Represents a Peer. */
    class Peer {

        /**
         * Constructs a new Peer.
         * @param [properties] Properties to set
         */
        constructor(properties?: Message.Peer.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Peer id. */
        id?: (Uint8Array|null);

        /** Peer addrs. */
        addrs: Uint8Array[];

        /** Peer connection. */
        connection?: (Message.ConnectionType|null);

        /**
         * Encodes the specified Peer message. Does not implicitly {@link Message.Peer.verify|verify} messages.
         * @param message Peer message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: Message.Peer.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Peer message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {Message.Peer & Message.Peer.$Shape} Peer
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): Message.Peer & Message.Peer.$Shape;
    }

    namespace Peer {

        /** Properties of a Peer. */
        interface $Properties {

            /** Peer id */
            id?: (Uint8Array|null);

            /** Peer addrs */
            addrs?: (Uint8Array[]|null);

            /** Peer connection */
            connection?: (Message.ConnectionType|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Peer. */
        type $Shape = Message.Peer.$Properties;
    }
}
