using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Diagnostics;
using MeshDashboard.Cluster.History;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Mesh.Analysis;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using Microsoft.Extensions.Logging;

namespace MeshDashboard.Cluster.Changes;

/// <summary>
/// The only way anything is written: operation → preview (diff, findings, server dry run) → guarded apply
/// (safe order, all or nothing) → history record in the cluster. Rollback is one more operation on this path.
/// A change of several objects is first written to the <see cref="ChangeJournal"/>; a write whose outcome is unknown is
/// read back; whatever this process cannot finish or undo, <see cref="JournalRecovery"/> does from the journal.
/// </summary>
public sealed partial class ChangePipeline(IMeshCache cache, ClusterWriter writer, ChangeHistoryStore history, ChangeJournal journal, RunningChanges changes,
    TimeProvider time, ILogger<ChangePipeline> logger, ChangeEvents? events = null)
{
    private readonly MeshStates _states = MeshStates.For(cache);
    private static readonly TimeSpan CacheCatchUp = TimeSpan.FromSeconds(10);

    public static string VersionOf(MeshService service)
    {
        var parts = service.Routes.Select(r => r.VirtualService.Source)
            .Concat(service.DestinationRules.Select(d => d.Source))
            .Select(o => $"{o.Kind}/{o.Namespace}/{o.Name}@{o.ResourceVersion}")
            .Order(StringComparer.Ordinal);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(";", parts)));
        return "\"" + Convert.ToHexString(hash)[..20].ToLowerInvariant() + "\"";
    }

    public async Task<ChangePreview> PreviewAsync(ITrafficOperation operation, ChangeRequest request, CancellationToken cancellationToken)
    {
        var state = _states.Current;
        var snapshot = state.Snapshot;
        var service = state.FindService(operation.Service.Namespace, operation.Service.Name)
            ?? throw new OperationException([new FieldError("service", $"service {operation.Service.Namespace}/{operation.Service.Name} does not exist")]);
        var plan = operation.Plan(snapshot);
        var ordered = SafeOrder(plan.Changes);

        var diffs = ordered.Select(Diff).ToImmutableArray();
        var after = ordered.Aggregate(snapshot, (s, c) => c.After is null ? s.Without(c.Target) : s.With(new KubeObject(c.Target.Kind, c.After)));
        // The index after the change is the current one with the written objects replaced; the analyzer then checks only
        // the objects of the changed service (see ServiceCatalog.Find), not the mesh.
        MeshIndex.Remember(state.Catalog.Index.With(after, ordered.Select(c => c.Target)));
        var findings = FindingsFor(after, operation.Service);
        var verdict = await DryRunAsync(ordered, cancellationToken);
        return new ChangePreview(operation.Service, plan.Summary, diffs, findings, verdict, VersionOf(service)) { Refusal = Refusal(plan, request), Before = snapshot, After = after };
    }

    /// <summary>
    /// The one place that decides, on the planned change itself, what needs more than the ReleaseManager role. Every path
    /// (forms, API, rollback, restore) reaches it, since every change is planned here.
    /// </summary>
    private static string? Refusal(ChangePlan plan, ChangeRequest request)
    {
        if (request.MayWeakenTls || TlsWeakenings.In(plan.Changes) is not { IsEmpty: false } weakened)
        {
            return null;
        }
        return $"This change weakens TLS, which needs the Admin role: {string.Join("; ", weakened)}.";
    }

    public async Task<ChangeOutcome> ApplyAsync(ITrafficOperation operation, ChangeRequest request, CancellationToken cancellationToken)
    {
        if (request.Reason?.Length > ChangeRequest.MaxReasonLength)
        {
            return new ChangeOutcome(ChangeStatus.Invalid, $"The reason is {request.Reason.Length} characters long; at most {ChangeRequest.MaxReasonLength} are kept.")
            {
                Errors = [new FieldError("reason", $"at most {ChangeRequest.MaxReasonLength} characters")],
            };
        }
        if (cache.Health is { UnreachableSince: { } since } health)
        {
            // Never plan a write on a state the cluster may have moved away from; the watch re-lists when it is back.
            return new ChangeOutcome(ChangeStatus.Unreachable,
                $"The cluster has been unreachable since {since:HH:mm:ss} UTC ({health.Reason}); changes are paused until it answers again.");
        }
        var state = _states.Current;
        var snapshot = state.Snapshot;
        var service = state.FindService(operation.Service.Namespace, operation.Service.Name);
        if (service is null)
        {
            return new ChangeOutcome(ChangeStatus.Invalid, $"Service {operation.Service.Namespace}/{operation.Service.Name} does not exist.")
            {
                Errors = [new FieldError("service", "no such service")],
            };
        }
        if (service.ManagedBy is not null)
        {
            return new ChangeOutcome(ChangeStatus.ReadOnly, service.ManagedBy);
        }
        if (request.ExpectedVersion is not null && request.ExpectedVersion != VersionOf(service))
        {
            return new ChangeOutcome(ChangeStatus.Conflict,
                $"The traffic configuration of {service.Name} changed since you read it (version {request.ExpectedVersion}, now {VersionOf(service)}). Reload and apply again.")
            {
                VersionMismatch = true,
            };
        }

        ChangePlan plan;
        try
        {
            plan = operation.Plan(snapshot);
        }
        catch (OperationException error)
        {
            // Input that refers to what changed since it was read (a stale rule origin) is a conflict, as a stale version is.
            return new ChangeOutcome(error.IsConflict ? ChangeStatus.Conflict : ChangeStatus.Invalid, error.Message) { Errors = error.Errors };
        }
        if (plan.Changes.IsEmpty)
        {
            return new ChangeOutcome(ChangeStatus.NoChange, "Nothing to change: the configuration already says this.");
        }
        if (Refusal(plan, request) is { } refusal)
        {
            LogRefused(logger, LogText.Safe(request.Author), operation.Service.Namespace, operation.Service.Name, LogText.Safe(refusal));
            return new ChangeOutcome(ChangeStatus.Forbidden, refusal);
        }

        var ordered = SafeOrder(plan.Changes);
        var baseline = service.Routes.Select(r => r.VirtualService.Source)
            .Concat(service.DestinationRules.Select(d => d.Source))
            .DistinctBy(o => o.Ref)
            .Select(o => new RecordedObject(o.Ref, o.Raw, o.Raw))
            .ToImmutableArray();
        var intent = new ChangeIntent(ChangeJournal.NewId(time), operation.Service, request.Author, plan.Summary, request.Reason, time.GetUtcNow(),
            [.. ordered.Select(c => new RecordedObject(c.Target, c.Before?.Raw, c.After))], baseline);
        try
        {
            await journal.OpenAsync(intent, cancellationToken);
        }
        catch (ClusterWriteException error)
        {
            return new ChangeOutcome(error.Failure == WriteFailure.Unreachable ? ChangeStatus.Unreachable : ChangeStatus.Failed,
                $"Nothing was written: the change could not be put in the change journal (namespace {history.Namespace}): {error.Message}");
        }

        // From here the change is in the journal. It is carried through (or undone) even if the caller goes away:
        // abandoning it halfway is what the journal exists to prevent.
        using var running = changes.Start(intent.Id);
        try
        {
            await journal.MarkWritingAsync(intent.Id, CancellationToken.None);
        }
        catch (ClusterWriteException error)
        {
            // No object write was attempted. Recovery closes the journal (if it exists at all) without touching objects.
            running.LeaveOpen();
            return new ChangeOutcome(error.Failure == WriteFailure.Unreachable ? ChangeStatus.Unreachable : ChangeStatus.Failed,
                $"Nothing was written: the cluster did not confirm the change journal ({error.Message}).");
        }
        var written = new List<(ObjectChange Change, JsonObject? Result)>();
        foreach (var change in ordered)
        {
            try
            {
                written.Add((change, await WriteAsync(change, dryRun: false, CancellationToken.None)));
            }
            catch (ClusterWriteException error)
            {
                if (IsUnknownOutcome(error))
                {
                    // The write may have landed: read it back rather than assume either way.
                    var readBack = await ReadBackAsync(change);
                    if (readBack.Landed)
                    {
                        written.Add((change, readBack.Live));
                        continue;
                    }
                    if (!readBack.Known)
                    {
                        return LeftForRecovery(intent, running, $"The cluster stopped answering while writing {change.Target}: {error.Message}");
                    }
                }
                var undone = await UndoAsync(written, CancellationToken.None);
                if (!undone)
                {
                    running.LeaveOpen();
                }
                else
                {
                    await CloseJournalAsync(intent);
                }
                return await FailureOutcomeAsync(change, error, undone, written.Count, CancellationToken.None);
            }
        }

        AppendedRevision revision;
        try
        {
            var recorded = written.Select(w => new RecordedObject(w.Change.Target, w.Change.Before?.Raw, w.Change.After is null ? null : w.Result ?? w.Change.After)).ToList();
            revision = await history.AppendAsync(operation.Service, request.Author, plan.Summary, request.Reason, recorded, baseline, CancellationToken.None, changeId: intent.Id);
        }
        catch (ClusterWriteException error) when (IsUnknownOutcome(error))
        {
            // Every object is written; whether the record landed is unknown. Recovery records it exactly once (by its id).
            return LeftForRecovery(intent, running, $"The change was written, but recording it in the history could not be confirmed ({error.Message}).");
        }
        catch (ClusterWriteException error)
        {
            // A change nobody can see in the history must not stand: undo it.
            if (await UndoAsync(written, CancellationToken.None))
            {
                await CloseJournalAsync(intent);
            }
            else
            {
                running.LeaveOpen();
            }
            return new ChangeOutcome(ChangeStatus.Failed,
                $"The change was undone because it could not be recorded in the history (ConfigMap in namespace {history.Namespace}): {error.Message}");
        }

        await CloseJournalAsync(intent);
        LogApplied(logger, LogText.Safe(request.Author), operation.Service.Namespace, operation.Service.Name, revision.Revision, LogText.Safe(plan.Summary));
        // Best effort and after the change is whole: written once the answer is on its way; one that cannot be written is logged.
        events?.RecordAfterAnswer([.. written.Select(w => (w.Change.Target, ActionOf(w.Change), w.Result))], request.Author, plan.Summary, request.Reason,
            revision.Revision);
        await WaitForCacheAsync([.. written.Select(w => (w.Change.Target, w.Result is null ? null : VersionIn(w.Result))), .. revision.Written.Select(v => (v.Ref, (string?)v.ResourceVersion))],
            cancellationToken);
        return new ChangeOutcome(ChangeStatus.Applied, $"Applied: {plan.Summary}") { Revision = revision.Revision };
    }

    private static ObjectAction ActionOf(ObjectChange change) =>
        change.Before is null ? ObjectAction.Create : change.After is null ? ObjectAction.Delete : ObjectAction.Update;

    /// <summary>Timeouts, broken connections and 5xx answers say nothing about whether a write landed.</summary>
    internal static bool IsUnknownOutcome(ClusterWriteException error) => error.Failure is WriteFailure.Unreachable or WriteFailure.Other;

    private ChangeOutcome LeftForRecovery(ChangeIntent intent, RunningChange running, string what)
    {
        running.LeaveOpen();
        LogLeftOpen(logger, intent.Id, intent.Service.Namespace, intent.Service.Name, LogText.Safe(what));
        return new ChangeOutcome(ChangeStatus.Unreachable,
            $"{what} The change is kept in the cluster's change journal ({intent.Id}) and will be finished or undone, and recorded in the history, as soon as the cluster answers again.");
    }

    /// <summary>Reads an object back after a write whose answer was lost: did the write land, and do we know?</summary>
    private async Task<(bool Known, bool Landed, JsonObject? Live)> ReadBackAsync(ObjectChange change)
    {
        try
        {
            var live = await writer.GetAsync(change.Target, CancellationToken.None);
            return (true, ObjectContent.Same(live, change.After), live);
        }
        catch (ClusterWriteException)
        {
            return (false, false, null);
        }
    }

    /// <summary>Closes the journal of a change that is whole (written and recorded, or fully undone). If that fails, recovery closes it.</summary>
    private async Task CloseJournalAsync(ChangeIntent intent)
    {
        try
        {
            await journal.CloseAsync(intent.Id, CancellationToken.None);
        }
        catch (ClusterWriteException error)
        {
            LogJournalNotClosed(logger, intent.Id, error.Message);
        }
    }

    /// <summary>
    /// The write order Istio needs: subsets exist before routes use them, routes go before the subsets they
    /// used are removed. DestinationRules that are created or gain subsets first; VirtualServices (and
    /// Gateways) next; DestinationRules that lose subsets or are deleted last.
    /// </summary>
    internal static ImmutableArray<ObjectChange> SafeOrder(IEnumerable<ObjectChange> changes) =>
    [
        .. changes.OrderBy(c => c.Target.Kind switch
        {
            ResourceKind.DestinationRule when c.After is null => 4,
            ResourceKind.DestinationRule when RemovesSubsets(c) => 3,
            ResourceKind.DestinationRule => 0,
            ResourceKind.Gateway when c.After is null => 2,
            ResourceKind.Gateway => 0,
            _ when c.After is null => 2,
            _ => 1,
        }),
    ];

    private static bool RemovesSubsets(ObjectChange change)
    {
        static HashSet<string> Names(JsonNode? dr) =>
            (dr?["spec"]?["subsets"] as JsonArray ?? []).Select(s => s.Str("name") ?? "").ToHashSet();
        return Names(change.Before?.Raw).Except(Names(change.After)).Any();
    }

    private async Task<JsonObject?> WriteAsync(ObjectChange change, bool dryRun, CancellationToken cancellationToken)
    {
        if (change.Before is null)
        {
            return await writer.CreateAsync(change.Target.Kind, change.After!, dryRun, cancellationToken);
        }
        if (change.After is null)
        {
            await writer.DeleteAsync(change.Target, change.Before.ResourceVersion, dryRun, cancellationToken);
            return null;
        }
        return await writer.ReplaceAsync(change.Target, change.Before.ResourceVersion, change.Before.Raw, change.After, dryRun, cancellationToken);
    }

    private async Task<DryRunVerdict> DryRunAsync(IReadOnlyList<ObjectChange> changes, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var change in changes)
        {
            try
            {
                await WriteAsync(change, dryRun: true, cancellationToken);
            }
            catch (ClusterWriteException error)
            {
                problems.Add($"{change.Target}: {error.Message}");
            }
        }
        return problems.Count == 0
            ? new DryRunVerdict(true, changes.Count == 0 ? "Nothing to write." : $"The API server accepted all {changes.Count} write(s) in a dry run.")
            : new DryRunVerdict(false, string.Join("\n", problems));
    }

    /// <summary>Undoes what a failed change wrote, newest first, each undo guarded by the version the change wrote.</summary>
    private async Task<bool> UndoAsync(List<(ObjectChange Change, JsonObject? Result)> written, CancellationToken cancellationToken)
    {
        var complete = true;
        foreach (var (change, result) in Enumerable.Reverse(written))
        {
            try
            {
                if (change.Before is null)
                {
                    await writer.DeleteAsync(change.Target, VersionIn(result), dryRun: false, cancellationToken);
                }
                else if (change.After is null)
                {
                    await writer.CreateAsync(change.Target.Kind, change.Before.Raw, dryRun: false, cancellationToken);
                }
                else
                {
                    await writer.ReplaceAsync(change.Target, VersionIn(result), result ?? change.After, change.Before.Raw, dryRun: false, cancellationToken);
                }
            }
            catch (ClusterWriteException error)
            {
                complete = false;
                LogUndoFailed(logger, change.Target.ToString(), error.Message);
            }
        }
        return complete;
    }

    private async Task<ChangeOutcome> FailureOutcomeAsync(ObjectChange failed, ClusterWriteException error, bool undone, int writtenBefore, CancellationToken cancellationToken)
    {
        var undoText = writtenBefore == 0 ? "Nothing was written." : undone ? $"The {writtenBefore} write(s) made before it were undone." : "Undoing the earlier writes did not finish; the change journal keeps the change, and it will be undone as soon as the cluster answers.";
        switch (error.Failure)
        {
            case WriteFailure.Conflict:
            case WriteFailure.NotFound when failed.Before is not null:
                {
                    JsonObject? live;
                    try
                    {
                        live = await writer.GetAsync(failed.Target, cancellationToken);
                    }
                    catch (ClusterWriteException)
                    {
                        live = null;
                    }
                    var changedMeanwhile = new ObjectDiff(failed.Target, ObjectAction.Update, YamlText.ForReview(failed.Before?.Raw), YamlText.ForReview(live),
                        UnifiedDiff.Create(YamlText.ForReview(failed.Before?.Raw), YamlText.ForReview(live), $"{failed.Target} (when you read it)", $"{failed.Target} (now)"));
                    return new ChangeOutcome(ChangeStatus.Conflict,
                        $"Someone else changed {failed.Target} since the dashboard read it; your change was not applied. {undoText} Reload and apply again.")
                    {
                        ConcurrentChanges = [changedMeanwhile],
                    };
                }
            case WriteFailure.Invalid:
                return new ChangeOutcome(ChangeStatus.Invalid, $"The cluster refused {failed.Target}: {error.Message}. {undoText}");
            case WriteFailure.Forbidden:
                return new ChangeOutcome(ChangeStatus.Forbidden, $"The cluster does not allow this change to {failed.Target}: {error.Message}. {undoText}");
            case WriteFailure.Unreachable:
                return new ChangeOutcome(ChangeStatus.Unreachable, $"{error.Message} {undoText}");
            default:
                return new ChangeOutcome(ChangeStatus.Failed, $"Writing {failed.Target} failed: {error.Message}. {undoText}");
        }
    }

    private static string VersionIn(JsonObject? obj) => obj?["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "";

    /// <summary>
    /// Returns once the shared cache shows every write (the objects, and the history the change was recorded in), so the
    /// next read (a page, the API, the history) sees the change. A null version: the object was deleted.
    /// </summary>
    private async Task WaitForCacheAsync(IReadOnlyList<(ObjectRef Target, string? Version)> written, CancellationToken cancellationToken)
    {
        bool Visible(MeshSnapshot snapshot) => written.All(w =>
        {
            var current = snapshot.Find(w.Target);
            return w.Version is null ? current is null : current is not null && long.TryParse(current.ResourceVersion, out var have)
                && long.TryParse(w.Version, out var wrote) && have >= wrote;
        });

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CacheCatchUp);
        try
        {
            await foreach (var snapshot in cache.SubscribeAsync(timeout.Token))
            {
                if (Visible(snapshot))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The watch is slow; the change is applied and recorded all the same.
        }
    }

    private static ObjectDiff Diff(ObjectChange change)
    {
        var before = YamlText.ForReview(change.Before?.Raw);
        var after = YamlText.ForReview(change.After);
        var action = change.Before is null ? ObjectAction.Create : change.After is null ? ObjectAction.Delete : ObjectAction.Update;
        return new ObjectDiff(change.Target, action, before, after,
            UnifiedDiff.Create(before, after, change.Before is null ? "/dev/null" : change.Target.ToString(), change.After is null ? "/dev/null" : change.Target.ToString()));
    }

    internal static ImmutableArray<Finding> FindingsFor(MeshSnapshot snapshot, ObjectRef service) =>
        ServiceCatalog.Find(snapshot, service.Namespace, service.Name)?.Findings ?? [];

    [LoggerMessage(Level = LogLevel.Information, Message = "Change by {Author} to {Namespace}/{Service} recorded as {Revision}: {Summary}")]
    private static partial void LogApplied(ILogger logger, string author, string @namespace, string service, string revision, string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a change by {Author} to {Namespace}/{Service}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string author, string @namespace, string service, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Change {Id} of {Namespace}/{Service} is left in the journal for recovery: {What}")]
    private static partial void LogLeftOpen(ILogger logger, string id, string @namespace, string service, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The journal of change {Id} could not be closed; recovery will close it: {Reason}")]
    private static partial void LogJournalNotClosed(ILogger logger, string id, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Undoing the write to {Target} failed: {Reason}")]
    private static partial void LogUndoFailed(ILogger logger, string target, string reason);
}
