using System.Collections.Immutable;
using MeshDashboard.Cluster.Rollouts;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Mesh.Rollouts;

namespace MeshDashboard.Api;

/// <summary>A step: the canary's percent, then how long to hold it (<c>"2m"</c>; <c>"manual"</c> waits for a person; left out: no wait).</summary>
public sealed record RolloutStepRequest(int Weight, string? Pause = null);

/// <summary>A custom gate: a PromQL query answering one number, with a min and/or a max. Needs Prometheus.</summary>
public sealed record PromQlGateRequest(string Query, double? Min = null, double? Max = null, string? Name = null);

/// <summary>Checked every <c>interval</c> over the last <c>window</c> of the canary subset's traffic.</summary>
public sealed record RolloutGatesRequest(string Interval = "30s", string Window = "1m", double? MinSuccessRate = null, double? MaxP99Ms = null, int MinRequests = 0,
    IReadOnlyList<PromQlGateRequest>? Promql = null);

/// <summary>
/// <c>POST /api/services/{namespace}/{name}/rollout</c>, e.g. <c>{"canary": "v2", "stable": "v1", "steps": [{"weight": 5, "pause": "2m"},
/// {"weight": 25, "pause": "5m"}, {"weight": 100}], "gates": {"interval": "30s", "window": "1m", "minSuccessRate": 0.99, "maxP99Ms": 500,
/// "minRequests": 50}, "onFailure": "rollback"}</c>.
/// </summary>
public sealed record RolloutRequest(string Canary, string Stable, IReadOnlyList<RolloutStepRequest> Steps, RolloutGatesRequest? Gates = null, string OnFailure = "rollback",
    string? Reason = null)
{
    /// <summary>The plan this request asks for; problems go to <paramref name="reader"/> with the request's field names.</summary>
    internal RolloutPlan ToPlan(ObjectRef service, string author, RequestReader reader)
    {
        var steps = Steps.Select((step, i) =>
        {
            TimeSpan? pause = step.Pause switch
            {
                null => TimeSpan.Zero,
                "manual" => null,
                _ => Durations.Parse(step.Pause) ?? Fail<TimeSpan>(reader, $"steps[{i}].pause", "must be a duration such as \"30s\" or \"2m\", or \"manual\""),
            };
            return new RolloutStep(step.Weight, pause);
        }).ToImmutableArray();
        var gates = Gates ?? new RolloutGatesRequest();
        var interval = Durations.Parse(gates.Interval) ?? Fail(reader, "gates.interval", "must be a duration such as \"30s\"");
        var window = Durations.Parse(gates.Window) ?? Fail(reader, "gates.window", "must be a duration such as \"1m\"");
        var onFailure = OnFailure switch
        {
            "rollback" => RolloutFailureAction.Rollback,
            "pause" => RolloutFailureAction.Pause,
            _ => Fail<RolloutFailureAction>(reader, "onFailure", "must be \"rollback\" or \"pause\"") ?? RolloutFailureAction.Rollback,
        };
        if (Reason?.Length > Cluster.Changes.ChangeRequest.MaxReasonLength / 2)
        {
            reader.Fail("reason", $"at most {Cluster.Changes.ChangeRequest.MaxReasonLength / 2} characters (each step's history reason carries it)");
        }
        var promql = (gates.Promql ?? []).Select(g => new PromQlGate(g.Name ?? "", g.Query, g.Min, g.Max)).ToImmutableArray();
        return new RolloutPlan(service, Canary, Stable, steps, new RolloutGates(interval, window, gates.MinSuccessRate, gates.MaxP99Ms, gates.MinRequests, promql), onFailure)
        {
            StartedBy = author,
            Reason = Reason,
        };
    }

    private static T? Fail<T>(RequestReader reader, string field, string message) where T : struct
    {
        reader.Fail(field, message);
        return default(T);
    }

    private static TimeSpan Fail(RequestReader reader, string field, string message)
    {
        reader.Fail(field, message);
        return TimeSpan.Zero;
    }
}

public sealed record GateDto(string Name, double? Value, string Threshold, string Shown, string Verdict)
{
    public static GateDto From(GateResult gate) => new(gate.Name, gate.Value, gate.Threshold, gate.Shown, gate.Verdict.ToString().ToLowerInvariant());
}

public sealed record RolloutStepDto(int Weight, string Pause);

/// <summary>
/// <c>GET /api/services/{namespace}/{name}/rollout</c>: the phase, the current step (1-based; 0 before the first) of
/// <c>steps</c>, the weights the rollout last wrote, the gates at the last check, and a message in words.
/// </summary>
public sealed record RolloutDto(string Phase, int Step, IReadOnlyList<RolloutStepDto> Steps, IReadOnlyDictionary<string, int> Weights, IReadOnlyList<GateDto> Gates, string Message,
    string Canary, string Stable, string OnFailure, string StartedBy, DateTimeOffset StartedAt, double? TimeLeftSeconds, DateTimeOffset? LastCheckAt, IReadOnlyList<string> Revisions,
    bool CommandPending)
{
    public static RolloutDto From(StoredRollout rollout, DateTimeOffset now)
    {
        var (plan, status) = (rollout.Plan, rollout.Status);
        return new(status.Phase.ToString(), status.Step + 1,
            [.. plan.Steps.Select(s => new RolloutStepDto(s.Weight, s.Pause is { } p ? RolloutText.Duration(p) : "manual"))],
            plan.WeightsAt(status.CanaryWeight), [.. status.Gates.Select(GateDto.From)], status.Message, plan.Canary, plan.Stable,
            plan.OnFailure.ToString().ToLowerInvariant(), plan.StartedBy, plan.StartedAt, status.TimeLeft(plan, now)?.TotalSeconds, status.LastCheckAt, status.Revisions,
            rollout.PendingCommand is not null);
    }
}

public sealed record RolloutStepPreviewDto(int Weight, string Pause, IReadOnlyDictionary<string, int> Weights, PreviewDto Preview);

/// <summary>The answer to <c>?dryRun=true</c>: the plan in words and each step's change as it would be written now.</summary>
public sealed record RolloutPreviewDto(string Summary, IReadOnlyList<RolloutStepPreviewDto> Steps)
{
    public static RolloutPreviewDto From(RolloutPlanPreview preview) => new(preview.Plan.Describe(),
        [.. preview.Steps.Select(s => new RolloutStepPreviewDto(s.Step.Weight, s.Step.Pause is { } p ? RolloutText.Duration(p) : "manual", s.Weights, PreviewDto.From(s.Change)))]);
}
