using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Cluster.Changes;

/// <summary>Why the cluster refused a write, sorted into what a person can do about it.</summary>
public enum WriteFailure
{
    Conflict,
    Invalid,
    Forbidden,
    NotFound,
    Unreachable,
    Other,
}

public sealed class ClusterWriteException(WriteFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public WriteFailure Failure { get; } = failure;
}

/// <summary>
/// Guarded writes of Istio objects through KubernetesClient. An update is a JSON merge patch of exactly what changed
/// (spec, labels, annotations) that carries the resourceVersion the change was planned on, which the API server treats
/// as a precondition: a concurrent edit by anyone answers 409 Conflict and is never overwritten. A delete carries the
/// same precondition. Every call can be a server-side dry run.
/// </summary>
public sealed class ClusterWriter(IKubernetes client)
{
    public async Task<JsonObject> CreateAsync(ResourceKind kind, JsonObject desired, bool dryRun, CancellationToken cancellationToken)
    {
        var body = (JsonObject)desired.DeepClone();
        var metadata = body["metadata"] as JsonObject ?? [];
        foreach (var serverOwned in new[] { "resourceVersion", "uid", "creationTimestamp", "generation", "managedFields" })
        {
            metadata.Remove(serverOwned);
        }
        body.Remove("status");
        body["apiVersion"] = kind.ApiVersion();
        body["kind"] = kind.ToString();
        var ns = (string?)metadata["namespace"] ?? "";
        return await CallAsync(async () => (await client.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync(
            JsonDocument.Parse(body.ToJsonString()).RootElement, ResourceKinds.IstioGroup, ResourceKinds.IstioVersion, ns, kind.Plural(),
            dryRun: dryRun ? "All" : null, fieldManager: "meshdashboard", customHeaders: ImpersonationHeaders(), cancellationToken: cancellationToken)).Body);
    }

    /// <summary>
    /// Turns the object from <paramref name="current"/> (as read at <paramref name="expectedVersion"/>) into
    /// <paramref name="desired"/>: spec, labels and annotations; everything else (status, other metadata) is the
    /// server's and is left alone. Only if it is still at that version.
    /// </summary>
    public async Task<JsonObject> ReplaceAsync(ObjectRef target, string expectedVersion, JsonObject current, JsonObject desired, bool dryRun, CancellationToken cancellationToken)
    {
        // Absent on both sides stays absent: no empty labels or annotations are added to an object that had none.
        var body = MergePatch.Diff(OwnedFields(current), OwnedFields(desired)) as JsonObject ?? [];
        body.GetOrAddObject("metadata")["resourceVersion"] = expectedVersion;
        var patch = new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch);
        return await CallAsync(async () => (await client.CustomObjects.PatchNamespacedCustomObjectWithHttpMessagesAsync(
            patch, ResourceKinds.IstioGroup, ResourceKinds.IstioVersion, target.Namespace, target.Kind.Plural(), target.Name,
            dryRun: dryRun ? "All" : null, fieldManager: "meshdashboard", customHeaders: ImpersonationHeaders(), cancellationToken: cancellationToken)).Body);
    }

    /// <summary>The parts of an object that people own and the dashboard writes: spec, labels and annotations.</summary>
    private static JsonObject OwnedFields(JsonObject obj)
    {
        var owned = new JsonObject();
        if (obj["spec"] is { } spec)
        {
            owned["spec"] = spec.DeepClone();
        }
        var metadata = new JsonObject();
        foreach (var field in new[] { "labels", "annotations" })
        {
            if (obj["metadata"]?[field] is { } value)
            {
                metadata[field] = value.DeepClone();
            }
        }
        owned["metadata"] = metadata;
        return owned;
    }

    public async Task DeleteAsync(ObjectRef target, string expectedVersion, bool dryRun, CancellationToken cancellationToken)
    {
        var options = new V1DeleteOptions { Preconditions = new V1Preconditions { ResourceVersion = expectedVersion }, DryRun = dryRun ? ["All"] : null };
        await CallAsync(async () => (await client.CustomObjects.DeleteNamespacedCustomObjectWithHttpMessagesAsync(
            ResourceKinds.IstioGroup, ResourceKinds.IstioVersion, target.Namespace, target.Kind.Plural(), target.Name,
            body: options, dryRun: dryRun ? "All" : null, customHeaders: ImpersonationHeaders(), cancellationToken: cancellationToken)).Body);
    }

    public async Task<JsonObject?> GetAsync(ObjectRef target, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(() => client.CustomObjects.GetNamespacedCustomObjectAsync(
                ResourceKinds.IstioGroup, ResourceKinds.IstioVersion, target.Namespace, target.Kind.Plural(), target.Name, cancellationToken));
        }
        catch (ClusterWriteException error) when (error.Failure == WriteFailure.NotFound)
        {
            return null;
        }
    }

    /// <summary>Impersonation headers for the caller of the current change, when impersonation is on.</summary>
    internal static IReadOnlyDictionary<string, IReadOnlyList<string>>? ImpersonationHeaders()
    {
        if (ImpersonationScope.Current is not { } identity)
        {
            return null;
        }
        var headers = new Dictionary<string, IReadOnlyList<string>> { ["Impersonate-User"] = [identity.User] };
        if (identity.Groups.Count > 0)
        {
            headers["Impersonate-Group"] = [.. identity.Groups];
        }
        return headers;
    }

    private static async Task<JsonObject> CallAsync(Func<Task<object>> call)
    {
        try
        {
            return KindSources.ToNode(await call()) as JsonObject ?? [];
        }
        catch (HttpOperationException error)
        {
            throw Classify(error);
        }
        catch (Exception error) when (error is HttpRequestException or IOException)
        {
            throw new ClusterWriteException(WriteFailure.Unreachable, $"The cluster could not be reached: {error.Message}", error);
        }
    }

    /// <summary>Reads the API server's Status answer: code, reason and message.</summary>
    internal static ClusterWriteException Classify(HttpOperationException error)
    {
        var message = error.Message;
        try
        {
            var status = JsonNode.Parse(error.Response.Content ?? "");
            message = (string?)status?["message"] ?? message;
        }
        catch (JsonException)
        {
            // Not a Status object; keep the transport's message.
        }
        var failure = error.Response.StatusCode switch
        {
            HttpStatusCode.Conflict => WriteFailure.Conflict,
            HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest => WriteFailure.Invalid,
            HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized => WriteFailure.Forbidden,
            HttpStatusCode.NotFound => WriteFailure.NotFound,
            _ => WriteFailure.Other,
        };
        return new ClusterWriteException(failure, message, error);
    }
}
