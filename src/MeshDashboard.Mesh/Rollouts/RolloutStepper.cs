using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Mesh.Rollouts;

/// <summary>A weight the rollout writes (through the change pipeline) and the reason recorded with it in the history.</summary>
public sealed record RolloutWrite(int CanaryWeight, string Reason);

/// <summary>
/// The next status, and the write that must succeed for it to hold (none when the status changes alone). When the write
/// fails the driver keeps the previous status, so the same decision is taken again at the next check.
/// </summary>
public sealed record RolloutDecision(RolloutStatus Status, RolloutWrite? Write);

/// <summary>
/// The rollout's rules, pure: given the plan, its status, a person's pending command, the time, the service's traffic
/// objects as they are live and (when a check ran) the gates' results, what happens next. In this order: a command;
/// an edit by someone else pauses (the rollout never fights over weights); a failed gate rolls back or pauses; the
/// first step starts; a step whose pause is over, with every gate passing, gives way to the next; the last one succeeds.
/// </summary>
public static class RolloutStepper
{
    /// <summary>Whether the gates are due for a check: a step runs and an interval passed since the last one.</summary>
    public static bool GateCheckDue(RolloutPlan plan, RolloutStatus status, DateTimeOffset now) =>
        status.Phase == RolloutPhase.Progressing && status.Step >= 0
        && (status.LastCheckAt is not { } last || now - last >= plan.Gates.Interval);

    /// <summary>The service's VirtualServices and DestinationRules with their resourceVersions: what an edit by anyone changes.</summary>
    public static ImmutableArray<string> ObjectsOf(MeshService service) =>
    [
        .. service.Routes.Select(r => r.VirtualService.Source).Concat(service.DestinationRules.Select(d => d.Source))
            .DistinctBy(o => o.Ref)
            .Select(o => $"{o.Kind} {o.Namespace}/{o.Name}@{o.ResourceVersion}")
            .Order(StringComparer.Ordinal),
    ];

    public static RolloutDecision Decide(RolloutPlan plan, RolloutStatus status, RolloutCommand? command, DateTimeOffset now,
        ImmutableArray<string> liveObjects, ImmutableArray<GateResult>? checkedGates)
    {
        if (status.IsFinal)
        {
            return new(status, null);
        }
        if (command is not null && command.Sequence > status.HandledCommand)
        {
            return OnCommand(plan, status with { HandledCommand = command.Sequence }, command, now, liveObjects);
        }
        if (status.Phase == RolloutPhase.Paused)
        {
            return new(status, null);
        }
        if (!status.OwnObjects.IsDefaultOrEmpty && !status.OwnObjects.SequenceEqual(liveObjects))
        {
            return new(PausedAt(status, now) with { Message = $"Paused: {EditedBySomeoneElse(status.OwnObjects, liveObjects)} outside the rollout. The rollout never overwrites someone else's edit; resume to go on from this step (its weight is written again), or abort." }, null);
        }
        if (checkedGates is { } gates)
        {
            status = status with { Gates = gates, LastCheckAt = now };
            if (gates.Where(g => g.Verdict == GateVerdict.Fail).ToList() is { Count: > 0 } failed)
            {
                var figures = string.Join("; ", failed.Concat(gates.Where(g => g.Name == GateEvaluator.RequestsGate)).Select(g => g.ToString()));
                return plan.OnFailure == RolloutFailureAction.Rollback
                    ? Finish(status, RolloutPhase.RolledBack, now, $"Rolled back to {plan.Stable}: the canary {plan.Canary} failed its gates at {status.CanaryWeight}%: {figures}.",
                        new RolloutWrite(0, $"via rollout: rolled back, {plan.Canary} at {status.CanaryWeight}% failed its gates: {figures}"))
                    : new(PausedAt(status, now) with { Message = $"Paused: the canary {plan.Canary} failed its gates at {status.CanaryWeight}%: {figures}. Resume to go on or abort to go back to {plan.Stable}." }, null);
            }
        }
        if (status.Step < 0)
        {
            return StartStep(plan, status, 0, now);
        }
        var step = plan.Steps[status.Step];
        if (step.Pause is null && !status.StepApproved)
        {
            return new(PausedAt(status, now) with { Message = $"Waiting for a person at {step.Weight}%: resume to go on, promote to send all traffic to {plan.Canary}." }, null);
        }
        var held = now - (status.StepStartedAt ?? now);
        if (held < (step.Pause ?? TimeSpan.Zero))
        {
            // The message stays the same while the step holds (the time left is computed from StepStartedAt), so an idle tick writes nothing.
            return new(status with { Message = $"Step {status.Step + 1} of {plan.Steps.Length}: {step.Weight}% to {plan.Canary}, held for {RolloutText.Duration(step.Pause ?? TimeSpan.Zero)}." }, null);
        }
        var judged = status.LastCheckAt is { } last && status.StepStartedAt is { } started && last >= started;
        if (!judged || status.Gates.Any(g => g.Verdict != GateVerdict.Pass))
        {
            var why = !judged ? "waiting for the first check of this step" : string.Join("; ", status.Gates.Where(g => g.Verdict != GateVerdict.Pass).Select(g => g.ToString()));
            return new(status with { Message = $"Holding {step.Weight}% until every gate passes ({why})." }, null);
        }
        if (status.Step + 1 < plan.Steps.Length)
        {
            return StartStep(plan, status, status.Step + 1, now);
        }
        return status.CanaryWeight >= 100
            ? Finish(status, RolloutPhase.Succeeded, now, $"Succeeded: all traffic goes to {plan.Canary}.", null)
            : Finish(status, RolloutPhase.Succeeded, now, $"Succeeded: all traffic goes to {plan.Canary}.",
                new RolloutWrite(100, $"via rollout: every step passed its gates; all traffic to {plan.Canary}"));
    }

    private static RolloutDecision OnCommand(RolloutPlan plan, RolloutStatus status, RolloutCommand command, DateTimeOffset now, ImmutableArray<string> liveObjects)
    {
        switch (command.Kind)
        {
            case RolloutCommandKind.Pause when status.Phase == RolloutPhase.Progressing:
                return new(PausedAt(status, now) with { Message = $"Paused by {command.Author}." }, null);
            case RolloutCommandKind.Resume when status.Phase == RolloutPhase.Paused:
                var resumed = status with
                {
                    Phase = RolloutPhase.Progressing,
                    StepStartedAt = now - (status.ServedBeforePause ?? TimeSpan.Zero),
                    ServedBeforePause = null,
                    // Resuming a manual step is the person's approval; the weights (perhaps edited meanwhile) are the rollout's again.
                    StepApproved = status.Step >= 0 && plan.Steps[status.Step].WaitsForAPerson || status.StepApproved,
                    OwnObjects = liveObjects,
                    Message = $"Resumed by {command.Author}.",
                };
                return status.Step >= 0 && !status.OwnObjects.IsDefaultOrEmpty && !status.OwnObjects.SequenceEqual(liveObjects)
                    ? new(resumed, new RolloutWrite(status.CanaryWeight, $"via rollout: resumed by {command.Author} after an outside edit; step {status.Step + 1} of {plan.Steps.Length} again ({status.CanaryWeight}% to {plan.Canary})"))
                    : new(resumed, null);
            case RolloutCommandKind.Promote:
                return Finish(status, RolloutPhase.Succeeded, now, $"Promoted by {command.Author}: all traffic goes to {plan.Canary}.",
                    new RolloutWrite(100, $"via rollout: promoted by {command.Author}; all traffic to {plan.Canary}"));
            case RolloutCommandKind.Abort:
                return Finish(status, RolloutPhase.Aborted, now, $"Aborted by {command.Author}: all traffic back to {plan.Stable}.",
                    new RolloutWrite(0, $"via rollout: aborted by {command.Author}; all traffic back to {plan.Stable}"));
            default:
                // Pausing a paused rollout or resuming a running one changes nothing; the command is handled all the same.
                return new(status, null);
        }
    }

    private static RolloutDecision StartStep(RolloutPlan plan, RolloutStatus status, int index, DateTimeOffset now)
    {
        var step = plan.Steps[index];
        var next = status with
        {
            Step = index,
            CanaryWeight = step.Weight,
            StepStartedAt = now,
            StepApproved = false,
            Message = $"Step {index + 1} of {plan.Steps.Length}: {step.Weight}% to {plan.Canary}.",
        };
        var reason = $"via rollout: step {index + 1} of {plan.Steps.Length}, {step.Weight}% to {plan.Canary}" + (index > 0 ? " (the gates passed)" : "")
            + (plan.Reason is { Length: > 0 } why ? $"; {why}" : "");
        return new(next, new RolloutWrite(step.Weight, reason));
    }

    private static RolloutDecision Finish(RolloutStatus status, RolloutPhase phase, DateTimeOffset now, string message, RolloutWrite? write) =>
        new(status with { Phase = phase, Message = message, FinishedAt = now, CanaryWeight = write?.CanaryWeight ?? status.CanaryWeight }, write);

    private static RolloutStatus PausedAt(RolloutStatus status, DateTimeOffset now) => status with
    {
        Phase = RolloutPhase.Paused,
        ServedBeforePause = status.StepStartedAt is { } started ? now - started : TimeSpan.Zero,
    };

    private static string EditedBySomeoneElse(ImmutableArray<string> own, ImmutableArray<string> live)
    {
        static Dictionary<string, string> ByObject(IEnumerable<string> items) => items.Select(i => i.Split('@', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);
        var before = ByObject(own);
        var after = ByObject(live);
        var changes = before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Select(key => (key, before.GetValueOrDefault(key), after.GetValueOrDefault(key)))
            .Where(p => p.Item2 != p.Item3)
            .Select(p => p.Item2 is null ? $"{p.key} was created" : p.Item3 is null ? $"{p.key} was deleted" : $"{p.key} was changed (resourceVersion {p.Item2} → {p.Item3})")
            .ToList();
        return changes.Count > 0 ? string.Join(", ", changes) : "the traffic configuration was changed";
    }
}
