using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshDashboard.Sandbox.Api;

namespace MeshDashboard.Sandbox.Admission;

/// <summary>
/// Validates a custom resource against its CRD's structural OpenAPI v3 schema, as kube-apiserver does before any webhook:
/// types, enum, required, format, pattern, bounds, lengths, item and property counts, nullable, int-or-string, and the
/// value-only combinators (allOf, anyOf, oneOf, not) Istio's CRDs use for "at most one of". Fields the schema does not
/// declare are reported (strict field validation refuses them) and pruned, unless x-kubernetes-preserve-unknown-fields
/// keeps them; a null where the schema does not allow one is dropped, as the API server prunes it.
/// </summary>
internal static class StructuralSchema
{
    private static readonly HashSet<string> RootMetaFields = ["apiVersion", "kind", "metadata"];

    public static (List<FieldCause> Errors, List<string> Unknown) Validate(JsonObject schema, JsonObject obj, bool prune)
    {
        var context = new Context(prune, collectUnknown: true);
        var properties = schema["properties"] as JsonObject;
        foreach (var (key, value) in obj.ToList())
        {
            if (RootMetaFields.Contains(key))
            {
                continue;
            }
            if (properties?[key] is JsonObject fieldSchema)
            {
                if (value is null && (bool?)fieldSchema["nullable"] != true)
                {
                    obj.Remove(key);
                    continue;
                }
                Check(fieldSchema, value, key, context);
            }
            else if ((bool?)schema["x-kubernetes-preserve-unknown-fields"] != true)
            {
                context.Unknown.Add(key);
                if (prune)
                {
                    obj.Remove(key);
                }
            }
        }
        CheckRequired(schema, obj, "", context);
        return (context.Errors, context.Unknown);
    }

    private sealed class Context(bool prune, bool collectUnknown)
    {
        public bool Prune { get; } = prune;
        public bool CollectUnknown { get; } = collectUnknown;
        public List<FieldCause> Errors { get; } = [];
        public List<string> Unknown { get; } = [];
    }

    private static void Check(JsonObject schema, JsonNode? value, string path, Context context)
    {
        if (value is null)
        {
            if ((bool?)schema["nullable"] != true)
            {
                context.Errors.Add(new(path, $"Invalid value: \"null\": {path} in body must be of type {(string?)schema["type"] ?? "object"}: \"null\"", "FieldValueTypeInvalid"));
            }
            return;
        }
        if (!CheckType(schema, value, path, context))
        {
            return;
        }
        CheckEnum(schema, value, path, context);
        switch (value)
        {
            case JsonObject obj:
                CheckObject(schema, obj, path, context);
                break;
            case JsonArray array:
                CheckArray(schema, array, path, context);
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                CheckString(schema, (string)scalar!, path, context);
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.Number:
                CheckNumber(schema, Number(scalar), scalar, path, context);
                break;
        }
        CheckCombinators(schema, value, path, context);
    }

    private static bool CheckType(JsonObject schema, JsonNode value, string path, Context context)
    {
        var kind = value.GetValueKind();
        var type = (string?)schema["type"];
        bool ok;
        if ((bool?)schema["x-kubernetes-int-or-string"] == true)
        {
            ok = kind == JsonValueKind.String || (kind == JsonValueKind.Number && IsInteger(value));
            type = "integer-or-string";
        }
        else
        {
            ok = type switch
            {
                null or "" => true,
                "object" => kind == JsonValueKind.Object,
                "array" => kind == JsonValueKind.Array,
                "string" => kind == JsonValueKind.String,
                "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
                "integer" => kind == JsonValueKind.Number && IsInteger(value),
                "number" => kind == JsonValueKind.Number,
                _ => true,
            };
        }
        if (!ok)
        {
            context.Errors.Add(new(path, $"Invalid value: \"{Describe(value)}\": {path} in body must be of type {type}: {Shown(value)}", "FieldValueTypeInvalid"));
        }
        return ok;
    }

    /// <summary>A JSON number as a double, whichever CLR type the node was built from (parsed JSON, or YAML's long).</summary>
    private static double Number(JsonValue value) =>
        value.TryGetValue<double>(out var d) ? d
        : value.TryGetValue<long>(out var l) ? l
        : double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static bool IsInteger(JsonNode value) => value.AsValue().TryGetValue<long>(out _) ||
        (value.AsValue().TryGetValue<double>(out var d) && Math.Floor(d) == d && !double.IsInfinity(d));

    private static void CheckEnum(JsonObject schema, JsonNode value, string path, Context context)
    {
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            context.Errors.Add(new(path, $"Unsupported value: {Shown(value)}: supported values: {string.Join(", ", allowed.Select(Shown))}", "FieldValueNotSupported"));
        }
    }

    private static void CheckObject(JsonObject schema, JsonObject obj, string path, Context context)
    {
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"];
        var preserve = (bool?)schema["x-kubernetes-preserve-unknown-fields"] == true;
        var embedded = (bool?)schema["x-kubernetes-embedded-resource"] == true;
        foreach (var (key, child) in obj.ToList())
        {
            var childPath = $"{path}.{key}";
            if (properties?[key] is JsonObject childSchema)
            {
                if (child is null && (bool?)childSchema["nullable"] != true)
                {
                    obj.Remove(key);
                    continue;
                }
                Check(childSchema, child, childPath, context);
            }
            else if (additional is JsonObject valueSchema)
            {
                Check(valueSchema, child, childPath, context);
            }
            else if (additional is JsonValue allow && allow.GetValueKind() == JsonValueKind.True)
            {
                continue;
            }
            else if (!preserve && !(embedded && RootMetaFields.Contains(key)))
            {
                if (context.CollectUnknown)
                {
                    context.Unknown.Add(childPath);
                }
                if (context.Prune)
                {
                    obj.Remove(key);
                }
            }
        }
        CheckRequired(schema, obj, path, context);
        if (schema["maxProperties"] is JsonValue maxProperties && obj.Count > (long)maxProperties)
        {
            context.Errors.Add(new(path, $"Too many: {obj.Count}: must have at most {(long)maxProperties} items", "FieldValueTooMany"));
        }
        if (schema["minProperties"] is JsonValue minProperties && obj.Count < (long)minProperties)
        {
            context.Errors.Add(new(path, $"Invalid value: {obj.Count}: {path} in body should have at least {(long)minProperties} properties"));
        }
    }

    private static void CheckRequired(JsonObject schema, JsonObject obj, string path, Context context)
    {
        if (schema["required"] is not JsonArray required)
        {
            return;
        }
        foreach (var name in required.Select(r => (string?)r).OfType<string>())
        {
            if (!obj.ContainsKey(name))
            {
                context.Errors.Add(new(path.Length == 0 ? name : $"{path}.{name}", "Required value", "FieldValueRequired"));
            }
        }
    }

    private static void CheckArray(JsonObject schema, JsonArray array, string path, Context context)
    {
        if (schema["items"] is JsonObject itemSchema)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(itemSchema, array[i], $"{path}[{i}]", context);
            }
        }
        if (schema["maxItems"] is JsonValue maxItems && array.Count > (long)maxItems)
        {
            context.Errors.Add(new(path, $"Too many: {array.Count}: must have at most {(long)maxItems} items", "FieldValueTooMany"));
        }
        if (schema["minItems"] is JsonValue minItems && array.Count < (long)minItems)
        {
            context.Errors.Add(new(path, $"Invalid value: {array.Count}: {path} in body should have at least {(long)minItems} items"));
        }
    }

    private static void CheckString(JsonObject schema, string text, string path, Context context)
    {
        var length = text.EnumerateRunes().Count();
        if (schema["maxLength"] is JsonValue maxLength && length > (long)maxLength)
        {
            context.Errors.Add(new(path, $"Too long: may not be more than {(long)maxLength} bytes", "FieldValueTooLong"));
        }
        if (schema["minLength"] is JsonValue minLength && length < (long)minLength)
        {
            context.Errors.Add(new(path, $"Invalid value: \"{text}\": {path} in body should be at least {(long)minLength} chars long"));
        }
        if ((string?)schema["pattern"] is { } pattern && !Matches(pattern, text))
        {
            context.Errors.Add(new(path, $"Invalid value: \"{text}\": {path} in body should match '{pattern}'"));
        }
        var format = (string?)schema["format"];
        var formatOk = format switch
        {
            "date-time" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _),
            "byte" => IsBase64(text),
            "uri" => Uri.TryCreate(text, UriKind.Absolute, out _),
            _ => true,
        };
        if (!formatOk)
        {
            context.Errors.Add(new(path, $"Invalid value: \"{text}\": {path} in body must be of type {format}: \"{text}\""));
        }
    }

    private static bool Matches(string pattern, string text)
    {
        try
        {
            return Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            // A pattern .NET cannot read is not held against the object.
            return true;
        }
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    private static void CheckNumber(JsonObject schema, double number, JsonValue raw, string path, Context context)
    {
        var shown = raw.ToJsonString();
        if (schema["maximum"] is JsonValue maximum)
        {
            var max = Number(maximum);
            var exclusive = (bool?)schema["exclusiveMaximum"] == true;
            if (exclusive ? number >= max : number > max)
            {
                context.Errors.Add(new(path, $"Invalid value: {shown}: {path} in body should be less than {(exclusive ? "" : "or equal to ")}{maximum.ToJsonString()}"));
            }
        }
        if (schema["minimum"] is JsonValue minimum)
        {
            var min = Number(minimum);
            var exclusive = (bool?)schema["exclusiveMinimum"] == true;
            if (exclusive ? number <= min : number < min)
            {
                context.Errors.Add(new(path, $"Invalid value: {shown}: {path} in body should be greater than {(exclusive ? "" : "or equal to ")}{minimum.ToJsonString()}"));
            }
        }
        var inRange = (string?)schema["format"] switch
        {
            "int32" => number is >= int.MinValue and <= int.MaxValue,
            "uint32" => number is >= 0 and <= uint.MaxValue,
            _ => true,
        };
        if (!inRange)
        {
            context.Errors.Add(new(path, $"Invalid value: {shown}: {path} in body must be of type {(string?)schema["format"]}"));
        }
    }

    private static void CheckCombinators(JsonObject schema, JsonNode value, string path, Context context)
    {
        if (schema["allOf"] is JsonArray allOf)
        {
            foreach (var part in allOf.OfType<JsonObject>())
            {
                if (!IsValid(part, value))
                {
                    context.Errors.Add(new(path, $"Invalid value: {Shown(value)}: {path} in body must validate all the schemas (allOf)"));
                    break;
                }
            }
        }
        if (schema["anyOf"] is JsonArray anyOf && !anyOf.OfType<JsonObject>().Any(part => IsValid(part, value)))
        {
            context.Errors.Add(new(path, $"Invalid value: {Shown(value)}: {path} in body must validate at least one schema (anyOf)"));
        }
        if (schema["oneOf"] is JsonArray oneOf && oneOf.OfType<JsonObject>().Count(part => IsValid(part, value)) != 1)
        {
            context.Errors.Add(new(path, $"Invalid value: {Shown(value)}: {path} in body must validate one and only one schema (oneOf)"));
        }
        if (schema["not"] is JsonObject not && IsValid(not, value))
        {
            context.Errors.Add(new(path, $"Invalid value: {Shown(value)}: {path} in body must not validate the schema (not)"));
        }
    }

    /// <summary>Whether a value satisfies a value-validation schema (no pruning, no unknown fields).</summary>
    private static bool IsValid(JsonObject schema, JsonNode value)
    {
        var trial = new Context(prune: false, collectUnknown: false);
        Check(schema, value.DeepClone(), "", trial);
        return trial.Errors.Count == 0;
    }

    private static string Describe(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => IsInteger(node) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static string Shown(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "\"object\"",
        JsonArray => "\"array\"",
        _ => node.ToJsonString(),
    };
}
