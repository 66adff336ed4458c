using System.Net;
using System.Text.Json.Nodes;

namespace MeshDashboard.Sandbox.Api;

/// <summary>A field-level reason for refusing an object, reported in <c>Status.details.causes</c>.</summary>
public sealed record FieldCause(string Field, string Message, string Reason = "FieldValueInvalid");

/// <summary>
/// A failure the API answers with a <c>Status</c> object, as a Kubernetes API server does:
/// the HTTP code, a machine-readable reason and a message a person can act on.
/// </summary>
public sealed class ApiException(HttpStatusCode code, string reason, string message, IReadOnlyList<FieldCause>? causes = null, JsonObject? details = null)
    : Exception(message)
{
    public HttpStatusCode Code { get; } = code;
    public string Reason { get; } = reason;
    public IReadOnlyList<FieldCause> Causes { get; } = causes ?? [];

    public JsonObject ToStatus()
    {
        var detailsNode = details ?? [];
        if (Causes.Count > 0)
        {
            detailsNode["causes"] = new JsonArray(Causes.Select(c => (JsonNode)new JsonObject
            {
                ["reason"] = c.Reason,
                ["message"] = c.Message,
                ["field"] = c.Field,
            }).ToArray());
        }

        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
        };
        // Errors the API server passes through from storage carry no reason, and it leaves the field out.
        if (Reason.Length > 0)
        {
            status["reason"] = Reason;
        }
        if (detailsNode.Count > 0)
        {
            status["details"] = detailsNode;
        }
        status["code"] = (int)Code;
        return status;
    }

    private static JsonObject Details(ResourceType type, string? name) => new()
    {
        ["name"] = name ?? "",
        ["group"] = type.Group,
        ["kind"] = type.Plural,
    };

    public static ApiException NotFound(ResourceType type, string name) =>
        new(HttpStatusCode.NotFound, "NotFound", $"{type.QualifiedName} \"{name}\" not found", details: Details(type, name));

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(HttpStatusCode.Conflict, "AlreadyExists", $"{type.QualifiedName} \"{name}\" already exists", details: Details(type, name));

    public static ApiException Conflict(ResourceType type, string name) =>
        new(HttpStatusCode.Conflict, "Conflict",
            $"Operation cannot be fulfilled on {type.QualifiedName} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            details: Details(type, name));

    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<FieldCause> causes) =>
        new(HttpStatusCode.UnprocessableEntity, "Invalid",
            $"{type.Kind}{(type.Group.Length == 0 ? "" : "." + type.Group)} \"{name}\" is invalid: " + string.Join(", ", causes.Select(c => $"{c.Field}: {c.Message}")),
            causes, new JsonObject { ["name"] = name, ["group"] = type.Group, ["kind"] = type.Kind });

    public static ApiException BadRequest(string message, IReadOnlyList<FieldCause>? causes = null) =>
        new(HttpStatusCode.BadRequest, "BadRequest", message, causes);

    /// <summary>How the API server reports a validating admission webhook's denial (code 400, no reason).</summary>
    public static ApiException WebhookDenied(string webhook, IReadOnlyList<FieldCause> causes) =>
        new(HttpStatusCode.BadRequest, "BadRequest",
            $"admission webhook \"{webhook}\" denied the request: configuration is invalid: " + string.Join("; ", causes.Select(c => $"{c.Field}: {c.Message}")),
            causes);

    public static ApiException MethodNotAllowed(string message) => new(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", message);

    public static ApiException UnsupportedMediaType(string contentType) =>
        new(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml; got {contentType}");

    public static ApiException Gone(string message) => new(HttpStatusCode.Gone, "Expired", message);

    /// <summary>What kube-apiserver answers when a request carries no credential it accepts.</summary>
    public static ApiException Unauthorized() => new(HttpStatusCode.Unauthorized, "Unauthorized", "Unauthorized");

    /// <summary>kube-apiserver's answer to a body over its request limit (<c>limit is 3145728</c>).</summary>
    public static ApiException RequestEntityTooLarge(long limit) =>
        new(HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge", $"Request entity too large: limit is {limit}");

    /// <summary>
    /// kube-apiserver does not translate etcd's refusal of an oversized write: the client sees a 500 whose
    /// message is etcd's and which has no reason (kubernetes/kubernetes#74600, still open as #112152).
    /// </summary>
    public static ApiException StorageRequestTooLarge() =>
        new(HttpStatusCode.InternalServerError, "", "etcdserver: request is too large");
}
