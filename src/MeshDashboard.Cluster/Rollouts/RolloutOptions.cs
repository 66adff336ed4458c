using Microsoft.Extensions.Options;

namespace MeshDashboard.Cluster.Rollouts;

/// <summary>Configuration section <c>Rollouts</c>: how often rollouts are driven and how replicas share them.</summary>
public sealed class RolloutOptions
{
    public const string SectionName = "Rollouts";

    /// <summary>How often each replica reads the rollouts and drives the ones whose lease it holds. A gate's interval shorter than this is checked at this pace.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a replica's claim on a rollout lasts unrenewed before another replica takes it over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>This replica's name in the Leases. Unset: the pod's name (HOSTNAME) and a random suffix, unique per process.</summary>
    public string? Identity { get; set; }
}

internal sealed class ValidateRolloutOptions : IValidateOptions<RolloutOptions>
{
    public ValidateOptionsResult Validate(string? name, RolloutOptions options)
    {
        var problems = new List<string>();
        if (options.TickInterval < TimeSpan.FromMilliseconds(100) || options.TickInterval > TimeSpan.FromMinutes(1))
        {
            problems.Add("Rollouts:TickInterval must be between 00:00:00.1 and 00:01:00.");
        }
        if (options.LeaseDuration < options.TickInterval * 3)
        {
            problems.Add("Rollouts:LeaseDuration must be at least three ticks (Rollouts:TickInterval), so the holder renews it well before it expires.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
