/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
const $root = $protobuf.roots["ts-libp2p-identify"] || ($protobuf.roots["ts-libp2p-identify"] = {});

export const Identify = $root.Identify = (() => {

    /**
     * Properties of an Identify.
     * @typedef {Object} Identify.$Properties
     * @property {string|null} [protocolVersion] Identify protocolVersion
     * @property {string|null} [agentVersion] Identify agentVersion
     * @property {Uint8Array|null} [publicKey] Identify publicKey
     * @property {Array.<Uint8Array>|null} [listenAddrs] Identify listenAddrs
     * @property {Uint8Array|null} [observedAddr] Identify observedAddr
     * @property {Array.<string>|null} [protocols] Identify protocols
     * @property {Uint8Array|null} [signedPeerRecord] Identify signedPeerRecord
     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
     */

    /**
     * Properties of an Identify.
     * @exports IIdentify
     * @interface IIdentify
     * @augments Identify.$Properties
     * @deprecated Use Identify.$Properties instead.
     */

    /**
     * Shape of an Identify.
     * @typedef {Identify.$Properties} Identify.$Shape
     */

    /**
     * Constructs a new Identify.
     * @exports Identify
     * @classdesc Represents an Identify.
     * @constructor
     * @param {Identify.$Properties=} [properties] Properties to set
     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
     */
    const Identify = function (properties) {
        this.listenAddrs = [];
        this.protocols = [];
        if (properties)
            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                    this[keys[i]] = properties[keys[i]];
    };

    /**
     * Identify protocolVersion.
     * @member {string} protocolVersion
     * @memberof Identify
     * @instance
     */
    Identify.prototype.protocolVersion = "";

    /**
     * Identify agentVersion.
     * @member {string} agentVersion
     * @memberof Identify
     * @instance
     */
    Identify.prototype.agentVersion = "";

    /**
     * Identify publicKey.
     * @member {Uint8Array} publicKey
     * @memberof Identify
     * @instance
     */
    Identify.prototype.publicKey = $util.newBuffer([]);

    /**
     * Identify listenAddrs.
     * @member {Array.<Uint8Array>} listenAddrs
     * @memberof Identify
     * @instance
     */
    Identify.prototype.listenAddrs = $util.emptyArray;

    /**
     * Identify observedAddr.
     * @member {Uint8Array} observedAddr
     * @memberof Identify
     * @instance
     */
    Identify.prototype.observedAddr = $util.newBuffer([]);

    /**
     * Identify protocols.
     * @member {Array.<string>} protocols
     * @memberof Identify
     * @instance
     */
    Identify.prototype.protocols = $util.emptyArray;

    /**
     * Identify signedPeerRecord.
     * @member {Uint8Array} signedPeerRecord
     * @memberof Identify
     * @instance
     */
    Identify.prototype.signedPeerRecord = $util.newBuffer([]);

    /**
     * Encodes the specified Identify message. Does not implicitly {@link Identify.verify|verify} messages.
     * @function encode
     * @memberof Identify
     * @static
     * @param {Identify.$Properties} message Identify message or plain object to encode
     * @param {$protobuf.Writer} [writer] Writer to encode to
     * @returns {$protobuf.Writer} Writer
     */
    Identify.encode = function (message, writer, _depth) {
        if (!writer)
            writer = $Writer.create();
        if (_depth === $undefined)
            _depth = 0;
        if (_depth > $util.recursionLimit)
            throw $Error("max depth exceeded");
        if (message.publicKey != null && $Object.hasOwnProperty.call(message, "publicKey"))
            writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.publicKey);
        if (message.listenAddrs != null && message.listenAddrs.length)
            for (let i = 0; i < message.listenAddrs.length; ++i)
                writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.listenAddrs[i]);
        if (message.protocols != null && message.protocols.length)
            for (let i = 0; i < message.protocols.length; ++i)
                writer.uint32(/* id 3, wireType 2 =*/26).string(message.protocols[i]);
        if (message.observedAddr != null && $Object.hasOwnProperty.call(message, "observedAddr"))
            writer.uint32(/* id 4, wireType 2 =*/34).bytes(message.observedAddr);
        if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion"))
            writer.uint32(/* id 5, wireType 2 =*/42).string(message.protocolVersion);
        if (message.agentVersion != null && $Object.hasOwnProperty.call(message, "agentVersion"))
            writer.uint32(/* id 6, wireType 2 =*/50).string(message.agentVersion);
        if (message.signedPeerRecord != null && $Object.hasOwnProperty.call(message, "signedPeerRecord"))
            writer.uint32(/* id 8, wireType 2 =*/66).bytes(message.signedPeerRecord);
        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
            for (let i = 0; i < message.$unknowns.length; ++i)
                writer.raw(message.$unknowns[i]);
        return writer;
    };

    /**
     * Decodes an Identify message from the specified reader or buffer.
     * @function decode
     * @memberof Identify
     * @static
     * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
     * @param {number} [length] Message length if known beforehand
     * @returns {Identify & Identify.$Shape} Identify
     * @throws {Error} If the payload is not a reader or valid buffer
     * @throws {$protobuf.util.ProtocolError} If required fields are missing
     */
    Identify.decode = function (reader, length, _end, _depth, _target) {
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
        message = _target || new $root.Identify();
        while (reader.pos < end) {
            let start = reader.pos;
            let tag = reader.tag();
            if (tag === _end) {
                _end = $undefined;
                break;
            }
            let wireType = tag & 7;
            switch (tag >>>= 3) {
            case 5: {
                    if (wireType !== 2)
                        break;
                    message.protocolVersion = reader.string();
                    continue;
                }
            case 6: {
                    if (wireType !== 2)
                        break;
                    message.agentVersion = reader.string();
                    continue;
                }
            case 1: {
                    if (wireType !== 2)
                        break;
                    message.publicKey = reader.bytes();
                    continue;
                }
            case 2: {
                    if (wireType !== 2)
                        break;
                    if (!(message.listenAddrs && message.listenAddrs.length))
                        message.listenAddrs = [];
                    message.listenAddrs.push(reader.bytes());
                    continue;
                }
            case 4: {
                    if (wireType !== 2)
                        break;
                    message.observedAddr = reader.bytes();
                    continue;
                }
            case 3: {
                    if (wireType !== 2)
                        break;
                    if (!(message.protocols && message.protocols.length))
                        message.protocols = [];
                    message.protocols.push(reader.string());
                    continue;
                }
            case 8: {
                    if (wireType !== 2)
                        break;
                    message.signedPeerRecord = reader.bytes();
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

    return Identify;
})();

export {
  $root as default
};
