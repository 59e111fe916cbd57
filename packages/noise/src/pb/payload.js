/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
const $root = $protobuf.roots["ts-libp2p-noise"] || ($protobuf.roots["ts-libp2p-noise"] = {});

export const NoiseExtensions = $root.NoiseExtensions = (() => {

    /**
     * Properties of a NoiseExtensions.
     * @typedef {Object} NoiseExtensions.$Properties
     * @property {Array.<Uint8Array>|null} [webtransportCerthashes] NoiseExtensions webtransportCerthashes
     * @property {Array.<string>|null} [streamMuxers] NoiseExtensions streamMuxers
     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
     */

    /**
     * Properties of a NoiseExtensions.
     * @exports INoiseExtensions
     * @interface INoiseExtensions
     * @augments NoiseExtensions.$Properties
     * @deprecated Use NoiseExtensions.$Properties instead.
     */

    /**
     * Shape of a NoiseExtensions.
     * @typedef {NoiseExtensions.$Properties} NoiseExtensions.$Shape
     */

    /**
     * Constructs a new NoiseExtensions.
     * @exports NoiseExtensions
     * @classdesc Represents a NoiseExtensions.
     * @constructor
     * @param {NoiseExtensions.$Properties=} [properties] Properties to set
     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
     */
    const NoiseExtensions = function (properties) {
        this.webtransportCerthashes = [];
        this.streamMuxers = [];
        if (properties)
            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                    this[keys[i]] = properties[keys[i]];
    };

    /**
     * NoiseExtensions webtransportCerthashes.
     * @member {Array.<Uint8Array>} webtransportCerthashes
     * @memberof NoiseExtensions
     * @instance
     */
    NoiseExtensions.prototype.webtransportCerthashes = $util.emptyArray;

    /**
     * NoiseExtensions streamMuxers.
     * @member {Array.<string>} streamMuxers
     * @memberof NoiseExtensions
     * @instance
     */
    NoiseExtensions.prototype.streamMuxers = $util.emptyArray;

    /**
     * Encodes the specified NoiseExtensions message. Does not implicitly {@link NoiseExtensions.verify|verify} messages.
     * @function encode
     * @memberof NoiseExtensions
     * @static
     * @param {NoiseExtensions.$Properties} message NoiseExtensions message or plain object to encode
     * @param {$protobuf.Writer} [writer] Writer to encode to
     * @returns {$protobuf.Writer} Writer
     */
    NoiseExtensions.encode = function (message, writer, _depth) {
        if (!writer)
            writer = $Writer.create();
        if (_depth === $undefined)
            _depth = 0;
        if (_depth > $util.recursionLimit)
            throw $Error("max depth exceeded");
        if (message.webtransportCerthashes != null && message.webtransportCerthashes.length)
            for (let i = 0; i < message.webtransportCerthashes.length; ++i)
                writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.webtransportCerthashes[i]);
        if (message.streamMuxers != null && message.streamMuxers.length)
            for (let i = 0; i < message.streamMuxers.length; ++i)
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.streamMuxers[i]);
        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
            for (let i = 0; i < message.$unknowns.length; ++i)
                writer.raw(message.$unknowns[i]);
        return writer;
    };

    /**
     * Decodes a NoiseExtensions message from the specified reader or buffer.
     * @function decode
     * @memberof NoiseExtensions
     * @static
     * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
     * @param {number} [length] Message length if known beforehand
     * @returns {NoiseExtensions & NoiseExtensions.$Shape} NoiseExtensions
     * @throws {Error} If the payload is not a reader or valid buffer
     * @throws {$protobuf.util.ProtocolError} If required fields are missing
     */
    NoiseExtensions.decode = function (reader, length, _end, _depth, _target) {
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
        message = _target || new $root.NoiseExtensions();
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
                    if (!(message.webtransportCerthashes && message.webtransportCerthashes.length))
                        message.webtransportCerthashes = [];
                    message.webtransportCerthashes.push(reader.bytes());
                    continue;
                }
            case 2: {
                    if (wireType !== 2)
                        break;
                    if (!(message.streamMuxers && message.streamMuxers.length))
                        message.streamMuxers = [];
                    message.streamMuxers.push(reader.string());
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

    return NoiseExtensions;
})();

export const NoiseHandshakePayload = $root.NoiseHandshakePayload = (() => {

    /**
     * Properties of a NoiseHandshakePayload.
     * @typedef {Object} NoiseHandshakePayload.$Properties
     * @property {Uint8Array|null} [identityKey] NoiseHandshakePayload identityKey
     * @property {Uint8Array|null} [identitySig] NoiseHandshakePayload identitySig
     * @property {NoiseExtensions.$Properties|null} [extensions] NoiseHandshakePayload extensions
     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
     */

    /**
     * Properties of a NoiseHandshakePayload.
     * @exports INoiseHandshakePayload
     * @interface INoiseHandshakePayload
     * @augments NoiseHandshakePayload.$Properties
     * @deprecated Use NoiseHandshakePayload.$Properties instead.
     */

    /**
     * Shape of a NoiseHandshakePayload.
     * @typedef {NoiseHandshakePayload.$Properties} NoiseHandshakePayload.$Shape
     */

    /**
     * Constructs a new NoiseHandshakePayload.
     * @exports NoiseHandshakePayload
     * @classdesc Represents a NoiseHandshakePayload.
     * @constructor
     * @param {NoiseHandshakePayload.$Properties=} [properties] Properties to set
     * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
     */
    const NoiseHandshakePayload = function (properties) {
        if (properties)
            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                    this[keys[i]] = properties[keys[i]];
    };

    /**
     * NoiseHandshakePayload identityKey.
     * @member {Uint8Array} identityKey
     * @memberof NoiseHandshakePayload
     * @instance
     */
    NoiseHandshakePayload.prototype.identityKey = $util.newBuffer([]);

    /**
     * NoiseHandshakePayload identitySig.
     * @member {Uint8Array} identitySig
     * @memberof NoiseHandshakePayload
     * @instance
     */
    NoiseHandshakePayload.prototype.identitySig = $util.newBuffer([]);

    /**
     * NoiseHandshakePayload extensions.
     * @member {NoiseExtensions.$Properties|null|undefined} extensions
     * @memberof NoiseHandshakePayload
     * @instance
     */
    NoiseHandshakePayload.prototype.extensions = null;

    /**
     * Encodes the specified NoiseHandshakePayload message. Does not implicitly {@link NoiseHandshakePayload.verify|verify} messages.
     * @function encode
     * @memberof NoiseHandshakePayload
     * @static
     * @param {NoiseHandshakePayload.$Properties} message NoiseHandshakePayload message or plain object to encode
     * @param {$protobuf.Writer} [writer] Writer to encode to
     * @returns {$protobuf.Writer} Writer
     */
    NoiseHandshakePayload.encode = function (message, writer, _depth) {
        if (!writer)
            writer = $Writer.create();
        if (_depth === $undefined)
            _depth = 0;
        if (_depth > $util.recursionLimit)
            throw $Error("max depth exceeded");
        if (message.identityKey != null && $Object.hasOwnProperty.call(message, "identityKey"))
            writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.identityKey);
        if (message.identitySig != null && $Object.hasOwnProperty.call(message, "identitySig"))
            writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.identitySig);
        if (message.extensions != null && $Object.hasOwnProperty.call(message, "extensions"))
            $root.NoiseExtensions.encode(message.extensions, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
            for (let i = 0; i < message.$unknowns.length; ++i)
                writer.raw(message.$unknowns[i]);
        return writer;
    };

    /**
     * Decodes a NoiseHandshakePayload message from the specified reader or buffer.
     * @function decode
     * @memberof NoiseHandshakePayload
     * @static
     * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
     * @param {number} [length] Message length if known beforehand
     * @returns {NoiseHandshakePayload & NoiseHandshakePayload.$Shape} NoiseHandshakePayload
     * @throws {Error} If the payload is not a reader or valid buffer
     * @throws {$protobuf.util.ProtocolError} If required fields are missing
     */
    NoiseHandshakePayload.decode = function (reader, length, _end, _depth, _target) {
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
        message = _target || new $root.NoiseHandshakePayload();
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
                    message.identityKey = reader.bytes();
                    continue;
                }
            case 2: {
                    if (wireType !== 2)
                        break;
                    message.identitySig = reader.bytes();
                    continue;
                }
            case 4: {
                    if (wireType !== 2)
                        break;
                    message.extensions = $root.NoiseExtensions.decode(reader, reader.size(), $undefined, _depth + 1, message.extensions);
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

    return NoiseHandshakePayload;
})();

export {
  $root as default
};
