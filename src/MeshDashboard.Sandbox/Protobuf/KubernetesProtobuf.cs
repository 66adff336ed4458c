using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Api;

namespace MeshDashboard.Sandbox.Protobuf;

/// <summary>
/// Reads a request body in Kubernetes' protobuf encoding: the magic prefix <c>k8s\0</c>, then a runtime.Unknown
/// (typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2) whose raw bytes are the object's message. The object becomes the JSON
/// a client would have sent, for the kinds in <see cref="BuiltInProtoSchemas"/>; any other kind is answered 415, as a server
/// without that kind's protobuf would.
/// </summary>
internal static class KubernetesProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = [(byte)'k', (byte)'8', (byte)'s', 0];

    public static bool IsProtobuf(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals(MediaType, StringComparison.OrdinalIgnoreCase);

    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
        {
            throw ApiException.BadRequest("the protobuf body does not start with the Kubernetes magic prefix");
        }
        string apiVersion = "", kind = "";
        byte[] raw = [];
        var reader = new WireReader(body[Magic.Length..].ToArray());
        while (reader.Next(out var number, out var wireType))
        {
            switch (number)
            {
                case 1 when wireType == WireReader.LengthDelimited:
                    var typeMeta = new WireReader(reader.ReadBytes());
                    while (typeMeta.Next(out var typeField, out var typeWire))
                    {
                        if (typeField == 1 && typeWire == WireReader.LengthDelimited) { apiVersion = typeMeta.ReadString(); }
                        else if (typeField == 2 && typeWire == WireReader.LengthDelimited) { kind = typeMeta.ReadString(); }
                        else { typeMeta.Skip(typeWire); }
                    }
                    break;
                case 2 when wireType == WireReader.LengthDelimited:
                    raw = reader.ReadBytes();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
        if (!BuiltInProtoSchemas.ByKind.TryGetValue($"{apiVersion}/{kind}", out var schema))
        {
            throw new ApiException(System.Net.HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType",
                $"the sandbox reads {apiVersion} {kind} only as JSON or YAML; got {MediaType}");
        }
        var obj = ReadMessage(new WireReader(raw), schema);
        obj["apiVersion"] = apiVersion;
        obj["kind"] = kind;
        return obj;
    }

    private static JsonObject ReadMessage(WireReader reader, ProtoMessage schema)
    {
        var obj = new JsonObject();
        while (reader.Next(out var number, out var wireType))
        {
            if (!schema.Fields.TryGetValue(number, out var field))
            {
                reader.Skip(wireType);
                continue;
            }
            var value = ReadValue(reader, field, wireType, obj);
            // Go's generated marshallers write non-pointer fields even when empty; JSON leaves them out (omitempty).
            if (value is null || (value is JsonValue scalar && (scalar.TryGetValue<string>(out var text) ? text.Length == 0 : scalar.TryGetValue<long>(out var integer) && integer == 0)))
            {
                continue;
            }
            if (field.Repeated)
            {
                if (obj[field.Name] is not JsonArray list)
                {
                    list = [];
                    obj[field.Name] = list;
                }
                list.Add(value);
            }
            else
            {
                obj[field.Name] = value;
            }
        }
        return obj;
    }

    /// <summary>Reads one field; map entries are added to <paramref name="parent"/> directly and return null.</summary>
    private static JsonNode? ReadValue(WireReader reader, ProtoField field, int wireType, JsonObject parent)
    {
        switch (field.Shape)
        {
            case ProtoShape.Varint:
                return wireType == WireReader.Varint ? JsonValue.Create((long)reader.ReadVarint()) : Skipped(reader, wireType);
            case ProtoShape.Bool:
                return wireType == WireReader.Varint ? JsonValue.Create(reader.ReadVarint() != 0) : Skipped(reader, wireType);
            default:
                if (wireType != WireReader.LengthDelimited)
                {
                    return Skipped(reader, wireType);
                }
                break;
        }
        var bytes = reader.ReadBytes();
        switch (field.Shape)
        {
            case ProtoShape.String:
                return JsonValue.Create(Encoding.UTF8.GetString(bytes));
            case ProtoShape.Bytes:
                return JsonValue.Create(Convert.ToBase64String(bytes));
            case ProtoShape.Message:
                return ReadMessage(new WireReader(bytes), field.Message!);
            case ProtoShape.Time:
                return JsonValue.Create(ReadTime(new WireReader(bytes)));
            default:
                // A map entry is a message of key (1) and value (2).
                var entry = new WireReader(bytes);
                string key = "";
                string value = "";
                while (entry.Next(out var entryField, out var entryWire))
                {
                    if (entryWire != WireReader.LengthDelimited) { entry.Skip(entryWire); continue; }
                    var part = entry.ReadBytes();
                    if (entryField == 1) { key = Encoding.UTF8.GetString(part); }
                    else if (entryField == 2) { value = field.Shape == ProtoShape.MapOfBytes ? Convert.ToBase64String(part) : Encoding.UTF8.GetString(part); }
                }
                if (parent[field.Name] is not JsonObject map)
                {
                    map = [];
                    parent[field.Name] = map;
                }
                map[key] = value;
                return null;
        }
    }

    private static JsonNode? Skipped(WireReader reader, int wireType)
    {
        reader.Skip(wireType);
        return null;
    }

    private static string ReadTime(WireReader reader)
    {
        long seconds = 0;
        while (reader.Next(out var number, out var wireType))
        {
            if (number == 1 && wireType == WireReader.Varint) { seconds = (long)reader.ReadVarint(); }
            else { reader.Skip(wireType); }
        }
        return DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
    }
}

/// <summary>The protobuf wire format: tags, varints and length-delimited fields; malformed input is a 400.</summary>
internal sealed class WireReader(byte[] data)
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private int _position;

    public bool Next(out int number, out int wireType)
    {
        if (_position >= data.Length)
        {
            number = 0;
            wireType = 0;
            return false;
        }
        var tag = ReadVarint();
        number = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= data.Length)
            {
                throw Malformed();
            }
            var b = data[_position++];
            result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
        throw Malformed();
    }

    public byte[] ReadBytes()
    {
        var length = ReadVarint();
        if (length > (ulong)(data.Length - _position))
        {
            throw Malformed();
        }
        var bytes = data.AsSpan(_position, (int)length).ToArray();
        _position += (int)length;
        return bytes;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint: ReadVarint(); break;
            case Fixed64: Advance(8); break;
            case LengthDelimited: ReadBytes(); break;
            case Fixed32: Advance(4); break;
            default: throw Malformed();
        }
    }

    private void Advance(int count)
    {
        if (_position + count > data.Length)
        {
            throw Malformed();
        }
        _position += count;
    }

    private static ApiException Malformed() => ApiException.BadRequest("the protobuf body is malformed");
}
