using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MeshDashboard.Cluster.History;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Cluster.Changes;

/// <summary>
/// What a change is about to do, written to the cluster before its first write: the objects with their state before
/// and after, who asked and why, and the baseline for the service's first history entry. While it is open, the change
/// may be half-written; <see cref="JournalRecovery"/> finishes or undoes it from this record alone, so a change outlives
/// the process, replica or connection that started it.
/// </summary>
public sealed record ChangeIntent(
    string Id,
    ObjectRef Service,
    string Author,
    string Summary,
    string? Reason,
    DateTimeOffset Time,
    ImmutableArray<RecordedObject> Objects,
    ImmutableArray<RecordedObject> Baseline)
{
    /// <summary>
    /// False while the change is only announced: no object write has been attempted, so recovery closes it without
    /// touching objects. The pipeline marks it writing just before the first write.
    /// </summary>
    public bool Writing { get; init; }
}

/// <summary>
/// Open intents kept as ConfigMaps (<c>meshdashboard-change-&lt;id&gt;</c>, label <c>meshdashboard.io/change-journal</c>)
/// in the dashboard's namespace, next to the history. Opening creates one, closing deletes it.
/// </summary>
public sealed class ChangeJournal(IKubernetes client, HistoryOptions options)
{
    public const string JournalLabel = "meshdashboard.io/change-journal";
    private const string IntentKey = "intent.json";
    private const string PhaseAnnotation = "meshdashboard.io/phase";

    public static string NewId(TimeProvider time) =>
        time.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];

    public static string ConfigMapName(string id) => "meshdashboard-change-" + id;

    public async Task OpenAsync(ChangeIntent intent, CancellationToken cancellationToken)
    {
        var map = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = ConfigMapName(intent.Id),
                NamespaceProperty = options.Namespace,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "meshdashboard", [JournalLabel] = "open" },
            },
            Data = new Dictionary<string, string> { [IntentKey] = Serialize(intent) },
        };
        await ClusterCalls.RunAsync(() => client.CoreV1.CreateNamespacedConfigMapAsync(map, options.Namespace, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Marks that object writes begin. Until then an open journal proves nothing was written: a journal whose creation
    /// answer was lost (so its change was reported as not written, and may be asked for again) is closed untouched.
    /// Not merged into <see cref="OpenAsync"/>, though that would save a write per change: recovery decides what happened
    /// from the live objects, and they cannot tell this change's write from an equal one made later (the retry of a change
    /// reported as not written, or someone else's edit to the same state). A journal created already "writing" whose
    /// answer was lost would have recovery record a change that never ran, or put back an object another writer brought
    /// to this change's after-state. Only a journal the cluster confirmed is marked, and only this process marks it.
    /// </summary>
    public Task MarkWritingAsync(string id, CancellationToken cancellationToken) =>
        ClusterCalls.RunAsync(() => client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch(new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [PhaseAnnotation] = "writing" } } }.ToJsonString(),
                V1Patch.PatchType.MergePatch),
            ConfigMapName(id), options.Namespace, cancellationToken: cancellationToken));

    /// <summary>Marks the change done (or fully undone). A journal already gone counts as closed.</summary>
    public async Task CloseAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await ClusterCalls.RunAsync(() => client.CoreV1.DeleteNamespacedConfigMapAsync(ConfigMapName(id), options.Namespace, cancellationToken: cancellationToken));
        }
        catch (ClusterWriteException error) when (error.Failure == WriteFailure.NotFound)
        {
        }
    }

    public async Task<IReadOnlyList<ChangeIntent>> ListOpenAsync(CancellationToken cancellationToken)
    {
        var maps = await ClusterCalls.RunAsync(() => client.CoreV1.ListNamespacedConfigMapAsync(options.Namespace, labelSelector: JournalLabel, cancellationToken: cancellationToken));
        return [.. maps.Items
            .Select(m => m.Data is not null && m.Data.TryGetValue(IntentKey, out var json)
                ? Deserialize(json) is { } intent ? intent with { Writing = m.Metadata.Annotations?.TryGetValue(PhaseAnnotation, out var phase) == true && phase == "writing" } : null
                : null)
            .OfType<ChangeIntent>()
            .OrderBy(i => i.Time)];
    }

    private static string Serialize(ChangeIntent intent) => new JsonObject
    {
        ["id"] = intent.Id,
        ["service"] = new JsonObject { ["namespace"] = intent.Service.Namespace, ["name"] = intent.Service.Name },
        ["author"] = intent.Author,
        ["summary"] = intent.Summary,
        ["reason"] = intent.Reason,
        ["time"] = intent.Time.ToString("O", CultureInfo.InvariantCulture),
        ["objects"] = RecordedObjects.ToJson(intent.Objects),
        ["baseline"] = RecordedObjects.ToJson(intent.Baseline),
    }.ToJsonString();

    private static ChangeIntent? Deserialize(string json)
    {
        if (JsonNode.Parse(json) is not JsonObject node)
        {
            return null;
        }
        return new ChangeIntent(
            (string)node["id"]!,
            new ObjectRef(ResourceKind.Service, (string?)node["service"]?["namespace"] ?? "", (string?)node["service"]?["name"] ?? ""),
            (string?)node["author"] ?? "",
            (string?)node["summary"] ?? "",
            (string?)node["reason"],
            DateTimeOffset.Parse((string)node["time"]!, CultureInfo.InvariantCulture),
            RecordedObjects.FromJson(node["objects"] as JsonArray),
            RecordedObjects.FromJson(node["baseline"] as JsonArray));
    }
}

/// <summary>Turns what a Kubernetes client call throws into a <see cref="ClusterWriteException"/>, by status code.</summary>
internal static class ClusterCalls
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (HttpOperationException error)
        {
            throw ClusterWriter.Classify(error);
        }
        catch (Exception error) when (error is HttpRequestException or IOException)
        {
            throw new ClusterWriteException(WriteFailure.Unreachable, $"The cluster could not be reached: {error.Message}", error);
        }
        catch (TaskCanceledException error) when (error.InnerException is TimeoutException)
        {
            throw new ClusterWriteException(WriteFailure.Unreachable, "The cluster did not answer in time.", error);
        }
    }
}
