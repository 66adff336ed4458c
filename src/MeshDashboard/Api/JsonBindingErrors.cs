using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Api;

/// <summary>
/// Turns a <see cref="JsonException"/> from binding into field errors. The exception says where (its path, line and byte)
/// but its message names .NET types; the rule is found instead by walking the record's <see cref="JsonTypeInfo"/> and the
/// JSON along that path: a key the record does not have, a key given twice, a value of the wrong kind, a required field
/// left out.
/// </summary>
internal static class JsonBindingErrors
{
    public static IReadOnlyList<FieldError> Explain(JsonException error, JsonElement root, JsonTypeInfo rootType)
    {
        var at = $" (line {error.LineNumber + 1}, byte {error.BytePositionInLine + 1})";
        var field = "";
        JsonElement? element = root;
        JsonElement? parent = null;
        var type = rootType;
        foreach (var segment in Segments(error.Path))
        {
            parent = element;
            if (segment is string name)
            {
                var next = type.Kind switch
                {
                    JsonTypeInfoKind.Object => type.Properties.FirstOrDefault(p => p.Name == name)?.PropertyType,
                    JsonTypeInfoKind.Dictionary => type.ElementType,
                    _ => null,
                };
                var fieldName = field.Length == 0 ? name : $"{field}.{name}";
                if (next is null)
                {
                    return [new FieldError(fieldName, type.Kind == JsonTypeInfoKind.Object
                        ? $"is not a field here; the fields are {string.Join(", ", type.Properties.Select(p => p.Name))}"
                        : $"is not allowed here{at}")];
                }
                field = fieldName;
                type = type.Options.GetTypeInfo(next);
                element = element is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(name, out var child) ? child : null;
            }
            else
            {
                var index = (int)segment;
                field = $"{field}[{index}]";
                type = type.Options.GetTypeInfo(type.ElementType ?? typeof(object));
                element = element is { ValueKind: JsonValueKind.Array } array && index < array.GetArrayLength() ? array[index] : null;
            }
        }
        field = field.Length == 0 ? "body" : field;

        var last = Segments(error.Path).LastOrDefault();
        if (last is string key && parent is { ValueKind: JsonValueKind.Object } container && container.EnumerateObject().Count(p => p.NameEquals(key)) > 1)
        {
            return [new FieldError(field, "is given more than once; each key may appear only once")];
        }
        if (element is not { } value)
        {
            return [new FieldError(field, $"is not valid here{at}")];
        }
        if (!Fits(value, type))
        {
            return [new FieldError(field, $"must be {Expected(type)}")];
        }
        if (type.Kind == JsonTypeInfoKind.Object && value.ValueKind == JsonValueKind.Object)
        {
            var missing = type.Properties
                .Where(p => (p.IsRequired || p.AssociatedParameter is { HasDefaultValue: false }) && !value.TryGetProperty(p.Name, out _))
                .Select(p => new FieldError(field == "body" ? p.Name : $"{field}.{p.Name}", "is required"))
                .ToList();
            if (missing.Count > 0)
            {
                return missing;
            }
        }
        return [new FieldError(field, $"is not valid here{at}")];
    }

    /// <summary>The steps of a System.Text.Json path (<c>$.rules[0].conditions</c>, <c>$['a.b']</c>): names and indexes.</summary>
    private static List<object> Segments(string? path)
    {
        var segments = new List<object>();
        var text = path ?? "$";
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var end = text.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? text.Length : end;
                segments.Add(text[(i + 1)..end]);
                i = end;
            }
            else if (text.AsSpan(i).StartsWith("['"))
            {
                var end = text.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? text.Length : end;
                segments.Add(text[(i + 2)..end]);
                i = end + 2;
            }
            else if (text[i] == '[')
            {
                var end = text.IndexOf(']', i);
                end = end < 0 ? text.Length : end;
                segments.Add(int.TryParse(text[(i + 1)..end], out var index) ? index : 0);
                i = end + 1;
            }
            else
            {
                i++;
            }
        }
        return segments;
    }

    private static bool Fits(JsonElement value, JsonTypeInfo type)
    {
        var underlying = Nullable.GetUnderlyingType(type.Type);
        if (value.ValueKind == JsonValueKind.Null)
        {
            // Nulls of reference types reach here only where the record forbids them (RespectNullableAnnotations).
            return underlying is not null;
        }
        var clr = underlying ?? type.Type;
        return type.Kind switch
        {
            JsonTypeInfoKind.Object => value.ValueKind == JsonValueKind.Object,
            JsonTypeInfoKind.Dictionary => value.ValueKind == JsonValueKind.Object,
            JsonTypeInfoKind.Enumerable => value.ValueKind == JsonValueKind.Array,
            _ when clr == typeof(string) => value.ValueKind == JsonValueKind.String,
            _ when clr == typeof(int) => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
            _ when clr == typeof(double) => value.ValueKind == JsonValueKind.Number,
            _ when clr == typeof(bool) => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            _ => true,
        };
    }

    private static string Expected(JsonTypeInfo type)
    {
        var clr = Nullable.GetUnderlyingType(type.Type) ?? type.Type;
        return type.Kind switch
        {
            JsonTypeInfoKind.Object => "an object",
            JsonTypeInfoKind.Dictionary => "an object of names and values",
            JsonTypeInfoKind.Enumerable => "an array",
            _ when clr == typeof(string) => "a string",
            _ when clr == typeof(int) => $"a whole number from {int.MinValue} to {int.MaxValue}",
            _ when clr == typeof(double) => "a number",
            _ when clr == typeof(bool) => "true or false",
            _ => "a valid value",
        };
    }
}
