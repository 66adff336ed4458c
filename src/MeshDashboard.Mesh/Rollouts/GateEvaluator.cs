using System.Collections.Immutable;
using System.Globalization;
using MeshDashboard.Mesh.Traffic;

namespace MeshDashboard.Mesh.Rollouts;

/// <summary>The answer of one custom PromQL gate's query: its number, or why there is none.</summary>
public sealed record PromQlReading(PromQlGate Gate, double? Value, string? Problem);

/// <summary>
/// Judges the canary's figures over the window against the plan's gates. Requests are counted from the rate over the
/// window; below the minimum nothing else is judged (a handful of requests makes a noisy rate), so the rollout waits.
/// </summary>
public static class GateEvaluator
{
    public const string RequestsGate = "requests";
    public const string SuccessRateGate = "success rate";
    public const string P99Gate = "p99";

    /// <param name="gates">The plan's gates.</param>
    /// <param name="canary">The canary subset's figures over the window; null when the source has none.</param>
    /// <param name="unavailable">Why the source has no figures, when it has none.</param>
    /// <param name="promql">The answers of the custom gates' queries.</param>
    public static ImmutableArray<GateResult> Evaluate(RolloutGates gates, TrafficFigures? canary, string? unavailable, IReadOnlyList<PromQlReading> promql)
    {
        var results = ImmutableArray.CreateBuilder<GateResult>();
        double? requests = canary is null ? null : Math.Round(canary.RequestsPerSecond * gates.Window.TotalSeconds);
        var enough = requests is { } count && count >= gates.MinRequests;
        var waitingWhy = canary is null ? $"no figures: {unavailable ?? "the metrics source has none"}" : $"not judged below {gates.MinRequests} requests";

        // A figure that is not judged says why, so the page and the message explain the wait.
        string Shown(string? figure) => figure is null ? "no requests" : enough ? figure : $"{figure}, {waitingWhy}";

        results.Add(new GateResult(RequestsGate, requests, $"≥ {gates.MinRequests} in {RolloutText.Duration(gates.Window)}",
            requests is { } r ? Text($"{r:0} requests") : waitingWhy, enough ? GateVerdict.Pass : GateVerdict.Waiting));
        if (gates.MinSuccessRate is { } minSuccess)
        {
            var value = canary?.SuccessRate;
            results.Add(new GateResult(SuccessRateGate, value, Text($"≥ {minSuccess:0.##%}"),
                Shown(value is { } v ? Text($"{v:0.##%}") : null),
                !enough || value is null ? GateVerdict.Waiting : value >= minSuccess ? GateVerdict.Pass : GateVerdict.Fail));
        }
        if (gates.MaxP99Ms is { } maxP99)
        {
            var value = canary?.P99Ms;
            results.Add(new GateResult(P99Gate, value, Text($"≤ {maxP99:0.#} ms"),
                Shown(value is { } v ? Text($"{v:0.#} ms") : null),
                !enough || value is null ? GateVerdict.Waiting : value <= maxP99 ? GateVerdict.Pass : GateVerdict.Fail));
        }
        foreach (var reading in promql)
        {
            var gate = reading.Gate;
            var threshold = string.Join(" and ", new[] { gate.Min is { } min ? Text($"≥ {min:G6}") : null, gate.Max is { } max ? Text($"≤ {max:G6}") : null }.OfType<string>());
            var verdict = reading.Value is not { } value ? GateVerdict.Waiting
                : (gate.Min is { } lo && value < lo) || (gate.Max is { } hi && value > hi) ? GateVerdict.Fail
                : GateVerdict.Pass;
            results.Add(new GateResult(string.IsNullOrEmpty(gate.Name) ? gate.Query : gate.Name, reading.Value, threshold,
                reading.Value is { } shown ? Text($"{shown:G6}") : reading.Problem ?? "no value", verdict));
        }
        return results.ToImmutable();
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
