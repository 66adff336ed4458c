using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Api;

/// <summary>
/// A request body bound to its documented record, and the same body as a tree for the one endpoint (traffic-policy)
/// that must tell a field left out from an explicit null. <see cref="Errors"/> is empty when binding succeeded.
/// </summary>
internal sealed record BoundBody<T>(T? Value, JsonObject? Tree, IReadOnlyList<FieldError> Errors)
    where T : class;

/// <summary>
/// Binds API request bodies strictly with System.Text.Json: a key may appear once, every key must be a field of the
/// record, numbers are JSON numbers, nulls and omissions only where the record allows them. A refusal names the field
/// (System.Text.Json's <see cref="JsonException.Path"/>) and states the rule, found from the record's metadata and the
/// JSON at that place (<see cref="JsonBindingErrors"/>), so a caller reads "weights.v1: must be a whole number".
/// </summary>
internal static class JsonRequestBody
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            NumberHandling = JsonNumberHandling.Strict,
            AllowDuplicateProperties = false,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }

    public static async Task<BoundBody<T>> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        // Bodies are small and bounded by Kestrel's MaxRequestBodySize; the bytes are read twice when binding fails.
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException error)
        {
            return Refused<T>(new FieldError("body", $"is not valid JSON (line {error.LineNumber + 1}, byte {error.BytePositionInLine + 1})"));
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Refused<T>(new FieldError("body", "must be a JSON object"));
            }
            try
            {
                var value = JsonSerializer.Deserialize<T>(bytes, Options)!;
                return new BoundBody<T>(value, JsonNode.Parse(bytes)!.AsObject(), []);
            }
            catch (JsonException error)
            {
                return new BoundBody<T>(null, null, JsonBindingErrors.Explain(error, document.RootElement, Options.GetTypeInfo(typeof(T))));
            }
        }
    }

    private static BoundBody<T> Refused<T>(FieldError error)
        where T : class => new(null, null, [error]);
}
