using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace MeshDashboard.Mesh.Rollouts;

/// <summary>Where a rollout is. The last three are final: nothing drives it any more.</summary>
public enum RolloutPhase
{
    Progressing,
    Paused,
    Succeeded,
    RolledBack,
    Aborted,
}

/// <summary>What a person asks of a running rollout, from the UI or the API.</summary>
public enum RolloutCommandKind
{
    Pause,
    Resume,
    Promote,
    Abort,
}

/// <summary>
/// A person's request, numbered so the replica that drives the rollout handles each exactly once (it records the number
/// it handled in the status). Kept apart from the status so a request and a step never overwrite each other.
/// </summary>
public sealed record RolloutCommand(long Sequence, RolloutCommandKind Kind, string Author, DateTimeOffset At);

public enum GateVerdict
{
    /// <summary>The figure is within its threshold.</summary>
    Pass,
    /// <summary>The figure is outside its threshold: the failure action runs.</summary>
    Fail,
    /// <summary>Not judged yet: too few requests in the window, or no figure.</summary>
    Waiting,
}

/// <summary>One gate at one check: its figure (null when there is none) against its threshold, both in words too.</summary>
public sealed record GateResult(string Name, double? Value, string Threshold, string Shown, GateVerdict Verdict)
{
    public override string ToString() => $"{Name} {Shown} (threshold {Threshold})";
}

/// <summary>
/// A rollout's progress, kept in the cluster next to its plan so any replica (or the same one after a restart) goes on
/// from here. Times are absolute, so a restart waits out only what is left of the current pause.
/// </summary>
public sealed record RolloutStatus
{
    public RolloutPhase Phase { get; init; } = RolloutPhase.Progressing;

    /// <summary>The index of the step whose weight is applied; -1 before the first.</summary>
    public int Step { get; init; } = -1;

    /// <summary>The canary's share as last written by the rollout.</summary>
    public int CanaryWeight { get; init; }

    /// <summary>When the current step's weight was applied (moved forward by the paused time on resume).</summary>
    public DateTimeOffset? StepStartedAt { get; init; }

    /// <summary>How much of the step's pause had passed when it was paused; the rest is waited after a resume.</summary>
    public TimeSpan? ServedBeforePause { get; init; }

    /// <summary>A person resumed a manual step: it may go on.</summary>
    public bool StepApproved { get; init; }

    public DateTimeOffset? LastCheckAt { get; init; }

    public ImmutableArray<GateResult> Gates { get; init; } = [];

    public string Message { get; init; } = "Starting.";

    /// <summary>The service's traffic objects with their resourceVersions right after the rollout's own last write.</summary>
    public ImmutableArray<string> OwnObjects { get; init; } = [];

    /// <summary>The highest command number handled.</summary>
    public long HandledCommand { get; init; }

    /// <summary>The history revisions the rollout recorded, oldest first.</summary>
    public ImmutableArray<string> Revisions { get; init; } = [];

    public DateTimeOffset? FinishedAt { get; init; }

    [JsonIgnore]
    public bool IsFinal => Phase is RolloutPhase.Succeeded or RolloutPhase.RolledBack or RolloutPhase.Aborted;

    /// <summary>What is left of the current step's pause at <paramref name="now"/>; null for a manual step or when none runs.</summary>
    public TimeSpan? TimeLeft(RolloutPlan plan, DateTimeOffset now)
    {
        if (Step < 0 || Step >= plan.Steps.Length || plan.Steps[Step].Pause is not { } pause)
        {
            return null;
        }
        var served = Phase == RolloutPhase.Paused ? ServedBeforePause ?? TimeSpan.Zero : StepStartedAt is { } started ? now - started : TimeSpan.Zero;
        var left = pause - served;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
