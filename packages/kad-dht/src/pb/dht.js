/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
const $root = $protobuf.roots["ts-libp2p-kad-dht"] || ($protobuf.roots["ts-libp2p-kad-dht"] = {});

export const Record = $root.Record = (() => {

    /**
     * Properties of a Record.
     * @typedef {Object} Record.$Properties
     * @property {Uint8Array|null} [key] Record key
     * @property {Uint8Array|null} [value] Record value
     * @property {string|null} [timeReceived] Record timeReceived
     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
     */

    /**
     * Properties of a Record.
     * @exports IRecord
     * @interface IRecord
     * @augments Record.$Properties
     * @deprecated Use Record.$Properties instead.
     */

    /**
     * Shape of a Record.
     * @typedef {Record.$Properties} Record.$Shape
     */

    /**
     * Constructs a new Record.
     * @exports Record
     * @classdesc Represents a Record.
     * @constructor
     * @param {Record.$Properties=} [properties] Properties to set
     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
     */
    const Record = function (properties) {
        if (properties)
            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                    this[keys[i]] = properties[keys[i]];
    };

    /**
     * Record key.
     * @member {Uint8Array|null|undefined} key
     * @memberof Record
     * @instance
     */
    Record.prototype.key = null;

    /**
     * Record value.
     * @member {Uint8Array|null|undefined} value
     * @memberof Record
     * @instance
     */
    Record.prototype.value = null;

    /**
     * Record timeReceived.
     * @member {string|null|undefined} timeReceived
     * @memberof Record
     * @instance
     */
    Record.prototype.timeReceived = null;

    // OneOf field names bound to virtual getters and setters
    let $oneOfFields;

    // Virtual OneOf for proto3 optional field
    $Object.defineProperty(Record.prototype, "_key", {
        get: $util.oneOfGetter($oneOfFields = ["key"]),
        set: $util.oneOfSetter($oneOfFields)
    });

    // Virtual OneOf for proto3 optional field
    $Object.defineProperty(Record.prototype, "_value", {
        get: $util.oneOfGetter($oneOfFields = ["value"]),
        set: $util.oneOfSetter($oneOfFields)
    });

    // Virtual OneOf for proto3 optional field
    $Object.defineProperty(Record.prototype, "_timeReceived", {
        get: $util.oneOfGetter($oneOfFields = ["timeReceived"]),
        set: $util.oneOfSetter($oneOfFields)
    });

    /**
     * Encodes the specified Record message. Does not implicitly {@link Record.verify|verify} messages.
     * @function encode
     * @memberof Record
     * @static
     * @param {Record.$Properties} message Record message or plain object to encode
     * @param {$protobuf.Writer} [writer] Writer to encode to
     * @returns {$protobuf.Writer} Writer
     */
    Record.encode = function (message, writer, _depth) {
        if (!writer)
            writer = $Writer.create();
        if (_depth === $undefined)
            _depth = 0;
        if (_depth > $util.recursionLimit)
            throw $Error("max depth exceeded");
        if (message.key != null && $Object.hasOwnProperty.call(message, "key"))
            writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.key);
        if (message.value != null && $Object.hasOwnProperty.call(message, "value"))
            writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.value);
        if (message.timeReceived != null && $Object.hasOwnProperty.call(message, "timeReceived"))
            writer.uint32(/* id 5, wireType 2 =*/42).string(message.timeReceived);
        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
            for (let i = 0; i < message.$unknowns.length; ++i)
                writer.raw(message.$unknowns[i]);
        return writer;
    };

    /**
     * Decodes a Record message from the specified reader or buffer.
     * @function decode
     * @memberof Record
     * @static
     * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
     * @param {number} [length] Message length if known beforehand
     * @returns {Record & Record.$Shape} Record
     * @throws {Error} If the payload is not a reader or valid buffer
     * @throws {$protobuf.util.ProtocolError} If required fields are missing
     */
    Record.decode = function (reader, length, _end, _depth, _target) {
        if (!(reader instanceof $Reader))
            reader = $Reader.create(reader);
        if (_depth === $undefined)
            _depth = 0;
        if (_depth > $Reader.recursionLimit)
            throw $Error("max depth exceeded");
        let end, message;
        if (length === $undefined)
            end = reader.len;
        else {
            end = reader.pos + length;
            if (end > reader.len)
                throw $RangeError("index out of range");
            length = reader.len;
            reader.len = end;
        }
        message = _target || new $root.Record();
        while (reader.pos < end) {
            let start = reader.pos;
            let tag = reader.tag();
            if (tag === _end) {
                _end = $undefined;
                break;
            }
            let wireType = tag & 7;
            switch (tag >>>= 3) {
            case 1: {
                    if (wireType !== 2)
                        break;
                    message.key = reader.bytes();
                    message._key = "key";
                    continue;
                }
            case 2: {
                    if (wireType !== 2)
                        break;
                    message.value = reader.bytes();
                    message._value = "value";
                    continue;
                }
            case 5: {
                    if (wireType !== 2)
                        break;
                    message.timeReceived = reader.stringVerify();
                    message._timeReceived = "timeReceived";
                    continue;
                }
            }
            reader.skipType(wireType, _depth, tag);
            if (!reader.discardUnknown) {
                $util.makeProp(message, "$unknowns", false);
                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
            }
        }
        if (length !== $undefined) {
            if (reader.pos !== end)
                throw $RangeError("index out of range");
            reader.len = length;
        }
        if (_end !== $undefined)
            throw $Error("missing end group");
        return message;
    };

    return Record;
})();

export const Message = $root.Message = (() => {

    /**
     * Properties of a Message.
     * @typedef {Object} Message.$Properties
     * @property {Message.MessageType|null} [type] Message type
     * @property {number|null} [clusterLevelRaw] Message clusterLevelRaw
     * @property {Uint8Array|null} [key] Message key
     * @property {Record.$Properties|null} [record] Message record
     * @property {Array.<Message.Peer.$Properties>|null} [closerPeers] Message closerPeers
     * @property {Array.<Message.Peer.$Properties>|null} [providerPeers] Message providerPeers
     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
     */

    /**
     * Properties of a Message.
     * @exports IMessage
     * @interface IMessage
     * @augments Message.$Properties
     * @deprecated Use Message.$Properties instead.
     */

    /**
     * Shape of a Message.
     * @typedef {Message.$Properties} Message.$Shape
     */

    /**
     * Constructs a new Message.
     * @exports Message
     * @classdesc Represents a Message.
     * @constructor
     * @param {Message.$Properties=} [properties] Properties to set
     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
     */
    const Message = function (properties) {
        this.closerPeers = [];
        this.providerPeers = [];
        if (properties)
            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                    this[keys[i]] = properties[keys[i]];
    };

    /**
     * Message type.
     * @member {Message.MessageType|null|undefined} type
     * @memberof Message
     * @instance
     */
    Message.prototype.type = null;

    /**
     * Message clusterLevelRaw.
     * @member {number|null|undefined} clusterLevelRaw
     * @memberof Message
     * @instance
     */
    Message.prototype.clusterLevelRaw = null;

    /**
     * Message key.
     * @member {Uint8Array|null|undefined} key
     * @memberof Message
     * @instance
     */
    Message.prototype.key = null;

    /**
     * Message record.
     * @member {Record.$Properties|null|undefined} record
     * @memberof Message
     * @instance
     */
    Message.prototype.record = null;

    /**
     * Message closerPeers.
     * @member {Array.<Message.Peer.$Properties>} closerPeers
     * @memberof Message
     * @instance
     */
    Message.prototype.closerPeers = $util.emptyArray;

    /**
     * Message providerPeers.
     * @member {Array.<Message.Peer.$Properties>} providerPeers
     * @memberof Message
     * @instance
     */
    Message.prototype.providerPeers = $util.emptyArray;

    // OneOf field names bound to virtual getters and setters
    let $oneOfFields;

    // Virtual OneOf for proto3 optional field
    $Object.defineProperty(Message.prototype, "_type", {
        get: $util.oneOfGetter($oneOfFields = ["type"]),
        set: $util.oneOfSetter($oneOfFields)
    });

    // Virtual OneOf for proto3 optional field
    $Object.defineProperty(Message.prototype, "_clusterLevelRaw", {
        get: $util.oneOfGetter($oneOfFields = ["clusterLevelRaw"]),
        set: $util.oneOfSetter($oneOfFields)
    });

    // Virtual OneOf for proto3 optional field
    $Object.defineProperty(Message.prototype, "_key", {
        get: $util.oneOfGetter($oneOfFields = ["key"]),
        set: $util.oneOfSetter($oneOfFields)
    });

    // Virtual OneOf for proto3 optional field
    $Object.defineProperty(Message.prototype, "_record", {
        get: $util.oneOfGetter($oneOfFields = ["record"]),
        set: $util.oneOfSetter($oneOfFields)
    });

    /**
     * Encodes the specified Message message. Does not implicitly {@link Message.verify|verify} messages.
     * @function encode
     * @memberof Message
     * @static
     * @param {Message.$Properties} message Message message or plain object to encode
     * @param {$protobuf.Writer} [writer] Writer to encode to
     * @returns {$protobuf.Writer} Writer
     */
    Message.encode = function (message, writer, _depth) {
        if (!writer)
            writer = $Writer.create();
        if (_depth === $undefined)
            _depth = 0;
        if (_depth > $util.recursionLimit)
            throw $Error("max depth exceeded");
        if (message.type != null && $Object.hasOwnProperty.call(message, "type"))
            writer.uint32(/* id 1, wireType 0 =*/8).int32(message.type);
        if (message.key != null && $Object.hasOwnProperty.call(message, "key"))
            writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.key);
        if (message.record != null && $Object.hasOwnProperty.call(message, "record"))
            $root.Record.encode(message.record, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
        if (message.closerPeers != null && message.closerPeers.length)
            for (let i = 0; i < message.closerPeers.length; ++i)
                $root.Message.Peer.encode(message.closerPeers[i], writer.uint32(/* id 8, wireType 2 =*/66).fork(), _depth + 1).ldelim();
        if (message.providerPeers != null && message.providerPeers.length)
            for (let i = 0; i < message.providerPeers.length; ++i)
                $root.Message.Peer.encode(message.providerPeers[i], writer.uint32(/* id 9, wireType 2 =*/74).fork(), _depth + 1).ldelim();
        if (message.clusterLevelRaw != null && $Object.hasOwnProperty.call(message, "clusterLevelRaw"))
            writer.uint32(/* id 10, wireType 0 =*/80).int32(message.clusterLevelRaw);
        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
            for (let i = 0; i < message.$unknowns.length; ++i)
                writer.raw(message.$unknowns[i]);
        return writer;
    };

    /**
     * Decodes a Message message from the specified reader or buffer.
     * @function decode
     * @memberof Message
     * @static
     * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
     * @param {number} [length] Message length if known beforehand
     * @returns {Message & Message.$Shape} Message
     * @throws {Error} If the payload is not a reader or valid buffer
     * @throws {$protobuf.util.ProtocolError} If required fields are missing
     */
    Message.decode = function (reader, length, _end, _depth, _target) {
        if (!(reader instanceof $Reader))
            reader = $Reader.create(reader);
        if (_depth === $undefined)
            _depth = 0;
        if (_depth > $Reader.recursionLimit)
            throw $Error("max depth exceeded");
        let end, message, value;
        if (length === $undefined)
            end = reader.len;
        else {
            end = reader.pos + length;
            if (end > reader.len)
                throw $RangeError("index out of range");
            length = reader.len;
            reader.len = end;
        }
        message = _target || new $root.Message();
        while (reader.pos < end) {
            let start = reader.pos;
            let tag = reader.tag();
            if (tag === _end) {
                _end = $undefined;
                break;
            }
            let wireType = tag & 7;
            switch (tag >>>= 3) {
            case 1: {
                    if (wireType !== 0)
                        break;
                    message.type = reader.int32();
                    message._type = "type";
                    continue;
                }
            case 10: {
                    if (wireType !== 0)
                        break;
                    message.clusterLevelRaw = reader.int32();
                    message._clusterLevelRaw = "clusterLevelRaw";
                    continue;
                }
            case 2: {
                    if (wireType !== 2)
                        break;
                    message.key = reader.bytes();
                    message._key = "key";
                    continue;
                }
            case 3: {
                    if (wireType !== 2)
                        break;
                    message.record = $root.Record.decode(reader, reader.size(), $undefined, _depth + 1, message.record);
                    message._record = "record";
                    continue;
                }
            case 8: {
                    if (wireType !== 2)
                        break;
                    if (!(message.closerPeers && message.closerPeers.length))
                        message.closerPeers = [];
                    message.closerPeers.push($root.Message.Peer.decode(reader, reader.size(), $undefined, _depth + 1));
                    continue;
                }
            case 9: {
                    if (wireType !== 2)
                        break;
                    if (!(message.providerPeers && message.providerPeers.length))
                        message.providerPeers = [];
                    message.providerPeers.push($root.Message.Peer.decode(reader, reader.size(), $undefined, _depth + 1));
                    continue;
                }
            }
            reader.skipType(wireType, _depth, tag);
            if (!reader.discardUnknown) {
                $util.makeProp(message, "$unknowns", false);
                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
            }
        }
        if (length !== $undefined) {
            if (reader.pos !== end)
                throw $RangeError("index out of range");
            reader.len = length;
        }
        if (_end !== $undefined)
            throw $Error("missing end group");
        return message;
    };

    /**
     * MessageType enum.
     * @name Message.MessageType
     * @enum {number}
     * @property {number} PUT_VALUE=0 PUT_VALUE value
     * @property {number} GET_VALUE=1 GET_VALUE value
     * @property {number} ADD_PROVIDER=2 ADD_PROVIDER value
     * @property {number} GET_PROVIDERS=3 GET_PROVIDERS value
     * @property {number} FIND_NODE=4 FIND_NODE value
     * @property {number} PING=5 PING value
     */
    Message.MessageType = (function() {
        const valuesById = $Object.create(null), values = $Object.create(valuesById);
        values[valuesById[0] = "PUT_VALUE"] = 0;
        values[valuesById[1] = "GET_VALUE"] = 1;
        values[valuesById[2] = "ADD_PROVIDER"] = 2;
        values[valuesById[3] = "GET_PROVIDERS"] = 3;
        values[valuesById[4] = "FIND_NODE"] = 4;
        values[valuesById[5] = "PING"] = 5;
        return values;
    })();

    /**
     * ConnectionType enum.
     * @name Message.ConnectionType
     * @enum {number}
     * @property {number} NOT_CONNECTED=0 NOT_CONNECTED value
     * @property {number} CONNECTED=1 CONNECTED value
     * @property {number} CAN_CONNECT=2 CAN_CONNECT value
     * @property {number} CANNOT_CONNECT=3 CANNOT_CONNECT value
     */
    Message.ConnectionType = (function() {
        const valuesById = $Object.create(null), values = $Object.create(valuesById);
        values[valuesById[0] = "NOT_CONNECTED"] = 0;
        values[valuesById[1] = "CONNECTED"] = 1;
        values[valuesById[2] = "CAN_CONNECT"] = 2;
        values[valuesById[3] = "CANNOT_CONNECT"] = 3;
        return values;
    })();

    Message.Peer = (function() {

        /**
         * Properties of a Peer.
         * @typedef {Object} Message.Peer.$Properties
         * @property {Uint8Array|null} [id] Peer id
         * @property {Array.<Uint8Array>|null} [addrs] Peer addrs
         * @property {Message.ConnectionType|null} [connection] Peer connection
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a Peer.
         * @memberof Message
         * @interface IPeer
         * @augments Message.Peer.$Properties
         * @deprecated Use Message.Peer.$Properties instead.
         */

        /**
         * Shape of a Peer.
         * @typedef {Message.Peer.$Properties} Message.Peer.$Shape
         */

        /**
         * Constructs a new Peer.
         * @memberof Message
         * @classdesc Represents a Peer.
         * @constructor
         * @param {Message.Peer.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const Peer = function (properties) {
            this.addrs = [];
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * Peer id.
         * @member {Uint8Array|null|undefined} id
         * @memberof Message.Peer
         * @instance
         */
        Peer.prototype.id = null;

        /**
         * Peer addrs.
         * @member {Array.<Uint8Array>} addrs
         * @memberof Message.Peer
         * @instance
         */
        Peer.prototype.addrs = $util.emptyArray;

        /**
         * Peer connection.
         * @member {Message.ConnectionType|null|undefined} connection
         * @memberof Message.Peer
         * @instance
         */
        Peer.prototype.connection = null;

        // OneOf field names bound to virtual getters and setters
        let $oneOfFields;

        // Virtual OneOf for proto3 optional field
        $Object.defineProperty(Peer.prototype, "_id", {
            get: $util.oneOfGetter($oneOfFields = ["id"]),
            set: $util.oneOfSetter($oneOfFields)
        });

        // Virtual OneOf for proto3 optional field
        $Object.defineProperty(Peer.prototype, "_connection", {
            get: $util.oneOfGetter($oneOfFields = ["connection"]),
            set: $util.oneOfSetter($oneOfFields)
        });

        /**
         * Encodes the specified Peer message. Does not implicitly {@link Message.Peer.verify|verify} messages.
         * @function encode
         * @memberof Message.Peer
         * @static
         * @param {Message.Peer.$Properties} message Peer message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Peer.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.id != null && $Object.hasOwnProperty.call(message, "id"))
                writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.id);
            if (message.addrs != null && message.addrs.length)
                for (let i = 0; i < message.addrs.length; ++i)
                    writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.addrs[i]);
            if (message.connection != null && $Object.hasOwnProperty.call(message, "connection"))
                writer.uint32(/* id 3, wireType 0 =*/24).int32(message.connection);
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Decodes a Peer message from the specified reader or buffer.
         * @function decode
         * @memberof Message.Peer
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {Message.Peer & Message.Peer.$Shape} Peer
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Peer.decode = function (reader, length, _end, _depth, _target) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $Reader.recursionLimit)
                throw $Error("max depth exceeded");
            let end, message, value;
            if (length === $undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw $RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = _target || new $root.Message.Peer();
            while (reader.pos < end) {
                let start = reader.pos;
                let tag = reader.tag();
                if (tag === _end) {
                    _end = $undefined;
                    break;
                }
                let wireType = tag & 7;
                switch (tag >>>= 3) {
                case 1: {
                        if (wireType !== 2)
                            break;
                        message.id = reader.bytes();
                        message._id = "id";
                        continue;
                    }
                case 2: {
                        if (wireType !== 2)
                            break;
                        if (!(message.addrs && message.addrs.length))
                            message.addrs = [];
                        message.addrs.push(reader.bytes());
                        continue;
                    }
                case 3: {
                        if (wireType !== 0)
                            break;
                        message.connection = reader.int32();
                        message._connection = "connection";
                        continue;
                    }
                }
                reader.skipType(wireType, _depth, tag);
                if (!reader.discardUnknown) {
                    $util.makeProp(message, "$unknowns", false);
                    (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                }
            }
            if (length !== $undefined) {
                if (reader.pos !== end)
                    throw $RangeError("index out of range");
                reader.len = length;
            }
            if (_end !== $undefined)
                throw $Error("missing end group");
            return message;
        };

        return Peer;
    })();

    return Message;
})();

export {
  $root as default
};
