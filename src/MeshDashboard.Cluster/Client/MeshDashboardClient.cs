using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Connection;
using MeshDashboard.Cluster.History;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Cluster.Client;

/// <summary>Serves the UI and the API: live state from the shared watch cache, changes through the pipeline.</summary>
public sealed class MeshDashboardClient(IMeshCache cache, ClusterInfo cluster, ChangePipeline pipeline, ChangeHistoryStore history, AccessReviewer access) : IMeshDashboardClient
{
    private readonly MeshStates _states = MeshStates.For(cache);

    public ClusterInfo Cluster => cluster;

    public bool IsReady => cache.IsSynced;

    public MeshState Current => StateOf(cache.Current);

    public async IAsyncEnumerable<MeshState> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var snapshot in cache.SubscribeAsync(cancellationToken))
        {
            yield return StateOf(snapshot);
        }
    }

    public string VersionOf(MeshService service) => ChangePipeline.VersionOf(service);

    public async Task<string?> WhyCannotChangeAsync(ObjectRef service, CancellationToken cancellationToken)
    {
        var current = Current.FindService(service.Namespace, service.Name);
        if (current is null)
        {
            return $"There is no service {service.Namespace}/{service.Name}.";
        }
        return current.ManagedBy ?? await access.WhyCannotChangeAsync(current, cancellationToken);
    }

    public Task<ChangePreview> PreviewAsync(ITrafficOperation operation, ChangeRequest request, CancellationToken cancellationToken) =>
        pipeline.PreviewAsync(operation, request, cancellationToken);

    public Task<ChangeOutcome> ApplyAsync(ITrafficOperation operation, ChangeRequest request, CancellationToken cancellationToken) =>
        pipeline.ApplyAsync(operation, request, cancellationToken);

    /// <summary>
    /// A service's history as the shared watch holds it (every history ConfigMap is watched): a page view asks the cluster
    /// nothing, and a change recorded by any replica, or a hand edit, shows as soon as the watch delivers it.
    /// </summary>
    public Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(ObjectRef service, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        var recorded = history.ReadCached(service);
        IReadOnlyList<HistoryEntry> entries = recorded
            .OrderByDescending(r => r.Revision, StringComparer.Ordinal)
            .Select(r => new HistoryEntry(r.Revision, r.Time, r.Author, r.Summary, r.Reason,
                [.. r.Objects.Select(o => DiffOf(o, r.IsBaseline))], r.IsBaseline))
            .ToList();
        return Task.FromResult(entries);
    }

    /// <summary>The recent-changes list as the shared watch holds it.</summary>
    public Task<IReadOnlyList<RecentChange>> GetRecentChangesAsync(CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        return Task.FromResult(Current.RecentChanges);
    }

    /// <summary>
    /// History is an audit record: while the watch cannot hear the cluster, a list that may miss the latest changes is not
    /// offered as the history (the API answers 503), unlike the live objects, which are shown marked stale.
    /// </summary>
    private void ThrowIfUnreachable()
    {
        if (cache.Health is { UnreachableSince: { } since } health)
        {
            throw new ClusterWriteException(WriteFailure.Unreachable, $"The cluster has been unreachable since {since:HH:mm:ss} UTC ({health.Reason}).");
        }
    }

    public async Task<ITrafficOperation> RollbackOperationAsync(ObjectRef service, string? revision, CancellationToken cancellationToken)
    {
        var entries = (await history.ReadAsync(service, cancellationToken)).OrderBy(e => e.Revision, StringComparer.Ordinal).ToList();
        var changes = entries.Where(e => !e.IsBaseline).ToList();
        int targetIndex;
        string summary;
        if (revision is null)
        {
            if (changes.Count == 0)
            {
                throw new OperationException([new FieldError("revision", $"{service.Name} has no change made with MeshDashboard to roll back")]);
            }
            var latest = changes[^1];
            targetIndex = entries.IndexOf(latest) - 1;
            // Flat, however many rollbacks came before: which entry is undone and which state comes back, plus what
            // the undone change did when it was an edit (a rollback's own summary would only nest).
            summary = $"{RollbackPrefix}{latest.Revision} (restores {entries[targetIndex].Revision})" + (IsRestore(latest) ? "" : $": {latest.Summary}");
        }
        else
        {
            targetIndex = entries.FindIndex(e => e.Revision == revision);
            if (targetIndex < 0)
            {
                throw new OperationException([new FieldError("revision", $"{service.Name} has no history entry {revision}")]);
            }
            var target = entries[targetIndex];
            summary = $"{RestorePrefix}{revision}" + (target.IsBaseline ? " (the state before the first change)" : IsRestore(target) ? "" : $" ({target.Summary})");
        }

        // Every object changed after the target entry goes back to its state right after that entry:
        // the "before" of the first later change that touched it.
        var desired = new List<(ObjectRef, JsonObject?)>();
        var seen = new HashSet<ObjectRef>();
        foreach (var entry in entries.Skip(targetIndex + 1))
        {
            foreach (var obj in entry.Objects)
            {
                if (seen.Add(obj.Ref))
                {
                    desired.Add((obj.Ref, obj.Before));
                }
            }
        }
        return new RestoreObjects(service, summary, desired);
    }

    // Summaries of restores start with these words; every other summary starts with a service name, a lowercase DNS
    // label, so the two never mix up.
    private const string RollbackPrefix = "Roll back ";
    private const string RestorePrefix = "Restore ";

    private static bool IsRestore(RecordedChange change) =>
        change.Summary.StartsWith(RollbackPrefix, StringComparison.Ordinal) || change.Summary.StartsWith(RestorePrefix, StringComparison.Ordinal);

    private static ObjectDiff DiffOf(RecordedObject obj, bool baseline)
    {
        var before = YamlText.ForReview(obj.Before);
        var after = YamlText.ForReview(obj.After);
        var action = obj.Before is null ? ObjectAction.Create : obj.After is null ? ObjectAction.Delete : ObjectAction.Update;
        var diff = baseline ? "" : UnifiedDiff.Create(before, after, obj.Before is null ? "/dev/null" : obj.Ref.ToString(), obj.After is null ? "/dev/null" : obj.Ref.ToString());
        return new ObjectDiff(obj.Ref, action, before, after, diff);
    }

    private MeshState StateOf(MeshSnapshot snapshot) => _states.Of(snapshot);
}
