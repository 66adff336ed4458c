using System.Text.Json.Nodes;
using MeshDashboard.Cluster.Diagnostics;
using MeshDashboard.Cluster.History;
using Microsoft.Extensions.Logging;

namespace MeshDashboard.Cluster.Changes;

/// <summary>How an open change was resolved.</summary>
public enum RecoveryOutcome
{
    /// <summary>Every object was written: the change is recorded in the history (once) and closed.</summary>
    Finished,
    /// <summary>Part of it was written: those objects are back at their state before, and that is recorded.</summary>
    Undone,
    /// <summary>Nothing of it was written: closed, nothing to record.</summary>
    NothingWritten,
}

/// <summary>
/// Finishes or undoes every change left open in the <see cref="ChangeJournal"/> (a crash, a lost connection, a replica
/// that died between two writes), deciding from the live objects alone: if every write landed the change stands and is
/// recorded; otherwise what landed is put back, guarded by the live resourceVersion so nobody's later edit is overwritten.
/// An object someone else changed meanwhile is left as they made it, and the log says so.
/// </summary>
public sealed partial class JournalRecovery(ChangeJournal journal, ClusterWriter writer, ChangeHistoryStore history, RunningChanges changes,
    TimeProvider time, ILogger<JournalRecovery> logger)
{
    public const string RecoveryAuthor = "meshdashboard (recovery)";

    /// <summary>
    /// Resolves the open changes that nobody can still be writing: those this process left open, and any other older than
    /// <paramref name="olderThan"/>. A change that cannot be resolved now (the cluster is down again) stays open.
    /// </summary>
    public async Task<IReadOnlyList<(ChangeIntent Intent, RecoveryOutcome Outcome)>> RecoverAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        var resolved = new List<(ChangeIntent, RecoveryOutcome)>();
        foreach (var intent in await journal.ListOpenAsync(cancellationToken))
        {
            if (changes.IsRunning(intent.Id) || (!changes.WasLeftOpen(intent.Id) && time.GetUtcNow() - intent.Time < olderThan))
            {
                continue;
            }
            try
            {
                var outcome = await ResolveAsync(intent, cancellationToken);
                await journal.CloseAsync(intent.Id, cancellationToken);
                changes.Forget(intent.Id);
                LogResolved(logger, intent.Id, intent.Service.Namespace, intent.Service.Name, LogText.Safe(intent.Author), LogText.Safe(intent.Summary), outcome);
                resolved.Add((intent, outcome));
            }
            catch (ClusterWriteException error)
            {
                LogNotYet(logger, intent.Id, error.Message);
            }
        }
        return resolved;
    }

    private async Task<RecoveryOutcome> ResolveAsync(ChangeIntent intent, CancellationToken cancellationToken)
    {
        if (!intent.Writing)
        {
            // Announced only (its creation answer may have been lost): nothing of it was ever attempted.
            return RecoveryOutcome.NothingWritten;
        }
        var entries = await history.ReadAsync(intent.Service, cancellationToken);
        var recorded = entries.Any(e => e.ChangeId == intent.Id);
        if (!recorded && entries.Any(e => e.Time >= intent.Time && !e.IsBaseline && ReachesTheSameState(e, intent)))
        {
            // A later recorded change (a retry, say) brought the objects to this change's after-state: that one stands and
            // is recorded; seeing its result must not record this change a second time.
            return RecoveryOutcome.NothingWritten;
        }
        var states = new List<(RecordedObject Object, JsonObject? Live)>();
        foreach (var obj in intent.Objects)
        {
            states.Add((obj, await writer.GetAsync(obj.Ref, cancellationToken)));
        }

        if (recorded || states.All(s => ObjectContent.Same(s.Live, s.Object.After)))
        {
            if (!recorded)
            {
                var written = states.Select(s => new RecordedObject(s.Object.Ref, s.Object.Before, s.Live)).ToList();
                await history.AppendAsync(intent.Service, intent.Author, intent.Summary, intent.Reason, written, intent.Baseline, cancellationToken, changeId: intent.Id);
            }
            return RecoveryOutcome.Finished;
        }

        var undone = new List<RecordedObject>();
        foreach (var (obj, live) in states)
        {
            if (ObjectContent.Same(live, obj.Before))
            {
                continue;
            }
            if (!ObjectContent.Same(live, obj.After))
            {
                LogChangedMeanwhile(logger, intent.Id, obj.Ref.ToString());
                continue;
            }
            await PutBackAsync(obj, live, cancellationToken);
            undone.Add(new RecordedObject(obj.Ref, live, obj.Before));
        }
        if (undone.Count == 0)
        {
            return RecoveryOutcome.NothingWritten;
        }
        await history.AppendAsync(intent.Service, RecoveryAuthor, $"Undid an interrupted change by {intent.Author}: {intent.Summary}", intent.Reason,
            undone, intent.Baseline, cancellationToken, changeId: intent.Id + "-undo");
        return RecoveryOutcome.Undone;
    }

    private static bool ReachesTheSameState(RecordedChange entry, ChangeIntent intent) =>
        intent.Objects.All(o => entry.Objects.FirstOrDefault(e => e.Ref == o.Ref) is { } recorded && ObjectContent.Same(recorded.After, o.After));

    /// <summary>Writes the state before back over a write that landed, guarded by the version read just now.</summary>
    private async Task PutBackAsync(RecordedObject obj, JsonObject? live, CancellationToken cancellationToken)
    {
        var version = (string?)live?["metadata"]?["resourceVersion"] ?? "";
        if (obj.Before is null)
        {
            await writer.DeleteAsync(obj.Ref, version, dryRun: false, cancellationToken);
        }
        else if (live is null)
        {
            await writer.CreateAsync(obj.Ref.Kind, obj.Before, dryRun: false, cancellationToken);
        }
        else
        {
            await writer.ReplaceAsync(obj.Ref, version, live, obj.Before, dryRun: false, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interrupted change {Id} of {Namespace}/{Service} by {Author} ({Summary}) resolved: {Outcome}")]
    private static partial void LogResolved(ILogger logger, string id, string @namespace, string service, string author, string summary, RecoveryOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Interrupted change {Id} stays open until the cluster answers: {Reason}")]
    private static partial void LogNotYet(ILogger logger, string id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interrupted change {Id}: {Target} was changed by someone else meanwhile and is left as they made it")]
    private static partial void LogChangedMeanwhile(ILogger logger, string id, string target);
}
