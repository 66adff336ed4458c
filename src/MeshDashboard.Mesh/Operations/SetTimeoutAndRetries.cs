using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Operations;

/// <summary>
/// A partial update of a rule's <c>retries</c> (see <see cref="Patch{T}"/>): a field left out is kept, Remove deletes it.
/// Without <c>attempts</c> Istio reads 0, which disables retries; without <c>retryOn</c> Envoy retries on Istio's
/// default conditions; without <c>perTryTimeout</c> each try may take the whole route timeout.
/// </summary>
public sealed record RetrySettings(Patch<int> Attempts = default, Patch<string> PerTryTimeout = default, Patch<string> RetryOn = default);

/// <summary>
/// Sets the request timeout and/or the retry policy of one HTTP rule of the service's mesh VirtualService, addressed as
/// <see cref="SetFault"/> addresses rules (name, label, position, or <see cref="Origin"/>). A partial update: what is
/// left out (Keep) stays as written, Remove deletes the field (<see cref="Retries"/> Remove deletes the whole policy, so
/// Istio's default retries apply), unmodelled retry fields (backoff, retryRemoteLocalities, ...) stay.
/// </summary>
/// <remarks>
/// Refuses what istiod's validating webhook refuses (istio/istio pkg/config/validation: <c>ValidateDuration</c> for the
/// timeout and perTryTimeout, <c>ValidateHTTPRetry</c> for the policy): durations below 1ms or finer than a millisecond,
/// negative attempts, a policy with 0 attempts that still sets perTryTimeout or retryOn, and retryOn entries that are
/// neither a retry condition Envoy knows nor an HTTP status code. A timeout shorter than attempts × perTryTimeout is
/// allowed (the analyzer warns about it), as istiod allows it.
/// </remarks>
public sealed partial record SetTimeoutAndRetries(ObjectRef Service, string Rule, Patch<string> Timeout = default, Patch<RetrySettings> Retries = default) : ITrafficOperation
{
    /// <summary>The rule as it was read; see <see cref="SetFault.Origin"/>. A rule changed since is a conflict.</summary>
    public RuleOrigin? Origin { get; init; }

    /// <summary>
    /// The retryOn conditions istiod accepts (<c>supportedRetryOnPolicies</c> beside <c>ValidateHTTPRetry</c>): Envoy's
    /// x-envoy-retry-on and x-envoy-retry-grpc-on policies. Any HTTP status code is accepted too (see <see cref="IsRetryCondition"/>).
    /// </summary>
    public static readonly IReadOnlyList<string> RetryConditions =
    [
        "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "retriable-4xx", "refused-stream",
        "retriable-status-codes", "retriable-headers", "envoy-ratelimited", "http3-post-connect-failure",
        "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable",
    ];

    private static readonly HashSet<string> Conditions = [.. RetryConditions];

    /// <summary>
    /// The codes Go's <c>net/http.StatusText</c> names: istiod takes a retryOn entry that <c>strconv.Atoi</c> parses to one
    /// of them as a retriable status code (306, 419, 509 and codes above 511 are refused).
    /// </summary>
    private static readonly HashSet<long> GoStatusCodes =
    [
        100, 101, 102, 103,
        200, 201, 202, 203, 204, 205, 206, 207, 208, 226,
        300, 301, 302, 303, 304, 305, 307, 308,
        400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418,
        421, 422, 423, 424, 425, 426, 428, 429, 431, 451,
        500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
    ];

    /// <summary>What Go's strconv.Atoi accepts: an optional sign and decimal digits.</summary>
    [GeneratedRegex("^[+-]?[0-9]+$")]
    private static partial Regex GoInteger();

    public ChangePlan Plan(MeshSnapshot snapshot)
    {
        var context = ServiceContext.For(snapshot, Service);
        var errors = new List<FieldError>(Check(Timeout, Retries));
        ServiceContext.ThrowIfAny(errors);
        var (vs, index) = OneHttpRule.Find(context, Rule, Origin, "a timeout or retries");

        var raw = vs.Source.CloneRaw();
        var rule = (JsonObject)raw["spec"]!["http"]![index]!;
        var label = vs.Http[index].Label;
        var said = new List<string>();
        if (Timeout.Kind == PatchKind.Remove || (Timeout.IsSet && Timeout.Value is null))
        {
            rule.Remove("timeout");
            said.Add("timeout removed");
        }
        else if (Timeout.IsSet)
        {
            SetString(rule, "timeout", Timeout.Value!);
            said.Add($"timeout {Timeout.Value}");
        }

        if (Retries.Kind == PatchKind.Remove || (Retries.IsSet && Retries.Value is null))
        {
            rule.Remove("retries");
            said.Add("retries removed (Istio's default applies)");
        }
        else if (Retries.Value is { } settings)
        {
            var existing = rule["retries"] as JsonObject;
            var retries = existing ?? [];
            Apply(retries, "attempts", settings.Attempts);
            Apply(retries, "perTryTimeout", settings.PerTryTimeout);
            Apply(retries, "retryOn", settings.RetryOn);
            if (existing is null && retries.Count > 0)
            {
                rule["retries"] = retries;
            }
            else if (existing is { Count: 0 } && vs.Source.Spec.Arr("http")![index]!["retries"] is JsonObject { Count: > 0 })
            {
                // Emptied by this edit: the policy goes, so Istio's default applies (an empty policy would mean 0 attempts).
                rule.Remove("retries");
            }
            CheckDisabledPolicy(rule["retries"] as JsonObject, errors);
            ServiceContext.ThrowIfAny(errors);
            said.Add(rule["retries"] is JsonObject written ? RetriesView.From(written).Describe() : "retries removed (Istio's default applies)");
        }
        return ServiceContext.Build($"{context.Name}: {string.Join(", ", said)} on {label}", [new ObjectChange(vs.Source.Ref, vs.Source, raw)]);
    }

    /// <summary>The checks of the input alone (no cluster state), named by the request's fields.</summary>
    public static IReadOnlyList<FieldError> Check(Patch<string> timeout, Patch<RetrySettings> retries)
    {
        var errors = new List<FieldError>();
        if (timeout.Kind == PatchKind.Keep && retries.Kind == PatchKind.Keep)
        {
            errors.Add(new FieldError("timeout", "give a timeout, retries or both (null removes one)"));
        }
        if (timeout.IsSet)
        {
            Durations.Validate(timeout.Value, "timeout", errors);
        }
        if (retries.Value is { } r)
        {
            if (r.Attempts.IsSet && r.Attempts.Value < 0)
            {
                errors.Add(new FieldError("retries.attempts", $"{r.Attempts.Value} is negative; 0 disables retries"));
            }
            if (r.PerTryTimeout.IsSet)
            {
                Durations.Validate(r.PerTryTimeout.Value, "retries.perTryTimeout", errors);
            }
            if (r.RetryOn.IsSet && r.RetryOn.Value is { } retryOn)
            {
                CheckRetryOn(retryOn, errors);
            }
        }
        return errors;
    }

    /// <summary>Whether istiod accepts one comma-separated entry of retryOn: a known condition, or an integer naming an HTTP status.</summary>
    public static bool IsRetryCondition(string entry) =>
        Conditions.Contains(entry)
        || (GoInteger().IsMatch(entry) && long.TryParse(entry, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code) && GoStatusCodes.Contains(code));

    private static void CheckRetryOn(string retryOn, List<FieldError> errors)
    {
        if (retryOn.Length == 0)
        {
            errors.Add(new FieldError("retries.retryOn", "is empty; leave it out to keep it, or null to retry on Istio's default conditions"));
            return;
        }
        // istiod splits on commas only: " reset" (with its space) is refused, and so is an empty entry ("5xx,,reset").
        foreach (var entry in retryOn.Split(','))
        {
            if (IsRetryCondition(entry))
            {
                continue;
            }
            var hint = entry.Trim() != entry && IsRetryCondition(entry.Trim())
                ? "; remove the spaces, Istio splits on commas only"
                : $"; use {string.Join(", ", RetryConditions)} or an HTTP status code such as 503";
            errors.Add(new FieldError("retries.retryOn", $"\"{entry}\" is not a retry condition Istio accepts{hint}"));
        }
    }

    /// <summary>istiod refuses a policy with 0 attempts (retries disabled, also when attempts is left out) that sets anything else it reads.</summary>
    private static void CheckDisabledPolicy(JsonObject? retries, List<FieldError> errors)
    {
        if (retries is null || (retries.Int("attempts") ?? 0) > 0)
        {
            return;
        }
        var set = new[] { "perTryTimeout", "retryOn", "retryRemoteLocalities" }
            .Where(k => retries[k] is not null && !(k == "retryOn" && retries.Str(k) == "")).ToList();
        if (set.Count > 0)
        {
            errors.Add(new FieldError("retries.attempts", $"attempts is {(retries["attempts"] is null ? "left out, which means 0" : "0")} (retries disabled), and Istio then refuses {string.Join(" and ", set)}: give attempts above 0, or set {string.Join(" and ", set)} to null"));
        }
    }

    private static void Apply(JsonObject target, string key, Patch<int> patch)
    {
        if (patch.Kind == PatchKind.Remove)
        {
            target.Remove(key);
        }
        else if (patch.IsSet && target.Int(key) != patch.Value)
        {
            target[key] = patch.Value;
        }
    }

    private static void Apply(JsonObject target, string key, Patch<string> patch)
    {
        if (patch.Kind == PatchKind.Remove || (patch.IsSet && patch.Value is null))
        {
            target.Remove(key);
        }
        else if (patch.IsSet)
        {
            SetString(target, key, patch.Value!);
        }
    }

    /// <summary>Writes in place (a replaced key keeps its place), and only when the value differs.</summary>
    private static void SetString(JsonObject target, string key, string value)
    {
        if (target.Str(key) != value)
        {
            target[key] = value;
        }
    }
}
