using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Serialization;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Mesh.Traffic;

namespace MeshDashboard.Mesh.Rollouts;

/// <summary>What a failed gate does: take all traffic back to the stable subset and stop, or hold the current weights for a person.</summary>
public enum RolloutFailureAction
{
    Rollback,
    Pause,
}

/// <summary>
/// One step of a canary: the canary's share of the default route, then how long to hold it before the next step.
/// <see cref="Pause"/> null is the manual gate: the rollout waits there until a person resumes (or promotes) it.
/// </summary>
public sealed record RolloutStep(int Weight, TimeSpan? Pause)
{
    [JsonIgnore]
    public bool WaitsForAPerson => Pause is null;
}

/// <summary>
/// A custom gate: a PromQL query that must answer one number, within <see cref="Min"/> and/or <see cref="Max"/>. Only a
/// Prometheus source can answer it; the sandbox's simulated figures cannot.
/// </summary>
public sealed record PromQlGate(string Name, string Query, double? Min, double? Max);

/// <summary>
/// The checks of a rollout, made every <see cref="Interval"/> over the last <see cref="Window"/> of the canary subset's
/// traffic. Below <see cref="MinRequests"/> in the window the figures are not judged, so a quiet canary is neither
/// promoted nor rolled back on no data: the rollout waits.
/// </summary>
public sealed record RolloutGates(TimeSpan Interval, TimeSpan Window, double? MinSuccessRate, double? MaxP99Ms, int MinRequests, ImmutableArray<PromQlGate> PromQl)
{
    public static readonly TimeSpan ShortestInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan LongestInterval = TimeSpan.FromHours(1);

    /// <summary>The window as the metrics reader takes it (seconds, so any whole-second window parses).</summary>
    [JsonIgnore]
    public MetricsWindow MetricsWindow => MetricsWindow.TryParse(string.Create(CultureInfo.InvariantCulture, $"{(long)Window.TotalSeconds}s"), out _) ?? MetricsWindow.Default;
}

/// <summary>
/// A canary plan for one service: which subset is the canary and which the stable one, the steps of the canary's
/// weight, the gates checked while it runs, and what a failed gate does. Started by <see cref="StartedBy"/>; every step
/// is recorded in the history under that name.
/// </summary>
public sealed record RolloutPlan(ObjectRef Service, string Canary, string Stable, ImmutableArray<RolloutStep> Steps, RolloutGates Gates, RolloutFailureAction OnFailure)
{
    public string StartedBy { get; init; } = "";

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Why the person started it, kept in every step's history reason.</summary>
    public string? Reason { get; init; }

    /// <summary>The weights of the default route with the canary at <paramref name="canaryWeight"/> percent.</summary>
    public IReadOnlyDictionary<string, int> WeightsAt(int canaryWeight) => canaryWeight >= 100
        ? new Dictionary<string, int> { [Canary] = 100 }
        : canaryWeight <= 0
            ? new Dictionary<string, int> { [Stable] = 100 }
            : new Dictionary<string, int> { [Stable] = 100 - canaryWeight, [Canary] = canaryWeight };

    /// <summary>Every problem with the plan on the mesh as it is now, named by the API's field paths.</summary>
    public ImmutableArray<FieldError> Validate(MeshService? service)
    {
        var errors = new List<FieldError>();
        var subsets = service?.Subsets.Select(s => s.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        CheckSubset("canary", Canary, subsets, service, errors);
        CheckSubset("stable", Stable, subsets, service, errors);
        if (!string.IsNullOrEmpty(Canary) && Canary == Stable)
        {
            errors.Add(new FieldError("stable", "must differ from the canary subset"));
        }
        if (Steps.IsDefaultOrEmpty)
        {
            errors.Add(new FieldError("steps", "at least one step is required, e.g. [{\"weight\": 10, \"pause\": \"2m\"}, {\"weight\": 100}]"));
        }
        else
        {
            for (var i = 0; i < Steps.Length; i++)
            {
                var step = Steps[i];
                if (step.Weight is < 1 or > 100)
                {
                    errors.Add(new FieldError($"steps[{i}].weight", "must be a whole percent from 1 to 100"));
                }
                else if (i > 0 && step.Weight <= Steps[i - 1].Weight)
                {
                    errors.Add(new FieldError($"steps[{i}].weight", $"must be more than the step before ({Steps[i - 1].Weight}): a canary only gains traffic"));
                }
                if (step.Pause is { } pause && (pause < TimeSpan.Zero || pause > TimeSpan.FromDays(1)))
                {
                    errors.Add(new FieldError($"steps[{i}].pause", "must be between 0s and 24h, or \"manual\""));
                }
            }
        }
        if (Gates.Interval < RolloutGates.ShortestInterval || Gates.Interval > RolloutGates.LongestInterval)
        {
            errors.Add(new FieldError("gates.interval", "must be between 1s and 1h"));
        }
        if (Gates.Window < MetricsWindow.Shortest || Gates.Window > MetricsWindow.Longest || Gates.Window.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            errors.Add(new FieldError("gates.window", "must be whole seconds between 10s and 6h"));
        }
        if (Gates.MinSuccessRate is { } rate && (rate < 0 || rate > 1 || double.IsNaN(rate)))
        {
            errors.Add(new FieldError("gates.minSuccessRate", "must be a fraction from 0 to 1, e.g. 0.99"));
        }
        if (Gates.MaxP99Ms is { } p99 && (p99 <= 0 || !double.IsFinite(p99)))
        {
            errors.Add(new FieldError("gates.maxP99Ms", "must be a positive number of milliseconds"));
        }
        if (Gates.MinRequests < 0)
        {
            errors.Add(new FieldError("gates.minRequests", "must be 0 or more"));
        }
        var promql = Gates.PromQl.IsDefault ? [] : Gates.PromQl;
        for (var i = 0; i < promql.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(promql[i].Query))
            {
                errors.Add(new FieldError($"gates.promql[{i}].query", "is required"));
            }
            if (promql[i].Min is null && promql[i].Max is null)
            {
                errors.Add(new FieldError($"gates.promql[{i}]", "needs a min or a max for the query's value"));
            }
        }
        if (service?.ManagedBy is { } owner)
        {
            errors.Add(new FieldError("service", $"is not offered a plan: {owner}"));
        }
        return [.. errors];
    }

    private static void CheckSubset(string field, string subset, HashSet<string> subsets, MeshService? service, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(subset))
        {
            errors.Add(new FieldError(field, "a subset is required"));
        }
        else if (service is not null && !subsets.Contains(subset))
        {
            errors.Add(new FieldError(field, $"subset \"{subset}\" is not defined in a DestinationRule for {service.Name}"
                + (subsets.Count > 0 ? $" (defined: {string.Join(", ", subsets.Order(StringComparer.Ordinal))})" : "")));
        }
    }

    /// <summary>The plan in one line, e.g. "v2 10% 2m → 50% manual → 100%".</summary>
    public string Describe() => $"{Canary} " + string.Join(" → ", Steps.Select(s => $"{s.Weight}%" + (s.Pause is { } p ? p > TimeSpan.Zero ? " " + RolloutText.Duration(p) : "" : " (wait for a person)")));
}

/// <summary>Durations and figures written the way the plan's API reads them.</summary>
public static class RolloutText
{
    public static string Duration(TimeSpan span)
    {
        if (span <= TimeSpan.Zero)
        {
            return "0s";
        }
        var parts = new List<string>();
        if (span.Hours + span.Days * 24 > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{span.Hours + span.Days * 24}h"));
        }
        if (span.Minutes > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m"));
        }
        if (span.Seconds > 0 || parts.Count == 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{span.Seconds}s"));
        }
        return string.Concat(parts);
    }
}
