using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Model;

/// <summary>
/// The timeout and retries form for one rule. The fields show the rule as it is and are sent as the whole state: an
/// empty field removes that setting (Istio's default applies), all three retry fields empty removes the retry policy.
/// </summary>
public sealed record TimeoutRetriesFormModel : IValidatedForm
{
    public required ImmutableArray<RuleChoice> Rules { get; init; }

    public string? Rule { get; init; }

    /// <summary>The request timeout as typed (e.g. <c>2s</c>); empty means none (Istio's default: no timeout).</summary>
    public string? Timeout { get; init; }

    public int? Attempts { get; init; }

    public string? PerTryTimeout { get; init; }

    /// <summary>Comma-separated retry conditions or HTTP status codes, e.g. <c>5xx,reset</c>.</summary>
    public string? RetryOn { get; init; }

    public RuleChoice? Selected => Rules.FirstOrDefault(r => r.Key == Rule);

    /// <summary>Envoy ignores retries and timeouts on a rule that injects a fault.</summary>
    public bool HasFault => Selected?.Rule.Fault is not null;

    private bool HasRetries => Attempts is not null || !string.IsNullOrWhiteSpace(PerTryTimeout) || !string.IsNullOrWhiteSpace(RetryOn);

    public static TimeoutRetriesFormModel From(MeshService service)
    {
        var rules = RuleChoice.AllOf(service);
        var model = new TimeoutRetriesFormModel { Rules = rules };
        var first = rules.FirstOrDefault(r => r.Rule.Timeout is not null || r.Rule.Retries is not null) ?? rules.FirstOrDefault();
        return first is null ? model : model.Select(first.Key);
    }

    /// <summary>Chooses a rule and loads its current timeout and retries into the fields.</summary>
    public TimeoutRetriesFormModel Select(string? key)
    {
        var rule = Rules.FirstOrDefault(r => r.Key == key)?.Rule;
        return this with
        {
            Rule = key,
            Timeout = rule?.Timeout,
            Attempts = rule?.Retries?.Attempts is { } n ? (int)n : null,
            PerTryTimeout = rule?.Retries?.PerTryTimeout,
            RetryOn = rule?.Retries?.RetryOn,
        };
    }

    /// <summary>Errors by form field ("rule", "timeout", "attempts", "perTryTimeout", "retryOn"): the operation's own checks.</summary>
    public ImmutableDictionary<string, string> Validate()
    {
        var errors = ImmutableDictionary.CreateBuilder<string, string>();
        if (Selected is null)
        {
            errors["rule"] = "choose the rule to set a timeout or retries on";
        }
        foreach (var error in SetTimeoutAndRetries.Check(TimeoutPatch, RetriesPatch))
        {
            errors.TryAdd(error.Field.StartsWith("retries.", StringComparison.Ordinal) ? error.Field["retries.".Length..] : error.Field, error.Message);
        }
        return errors.ToImmutable();
    }

    public SetTimeoutAndRetries ToOperation(ObjectRef service) => new(service, Rule ?? "", TimeoutPatch, RetriesPatch) { Origin = Selected?.Origin };

    private Patch<string> TimeoutPatch => Patch.SetOrRemove(Timeout);

    private Patch<RetrySettings> RetriesPatch => HasRetries
        ? new RetrySettings(Patch.SetOrRemove(Attempts), Patch.SetOrRemove(PerTryTimeout), RetryOnPatch)
        : Patch<RetrySettings>.Remove;

    // Not trimmed: istiod splits retryOn on commas only, so " reset" must show Check's "remove the spaces" hint.
    private Patch<string> RetryOnPatch => string.IsNullOrWhiteSpace(RetryOn) ? Patch<string>.Remove : RetryOn;
}
