using System.Globalization;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Operations;

/// <summary>Fault injection for one rule: abort a share of requests with a status, and/or delay a share.</summary>
public sealed record FaultSettings(double? AbortPercent, int? AbortHttpStatus, string? AbortGrpcStatus, double? DelayPercent, string? FixedDelay);

/// <summary>
/// Sets or (with a null <paramref name="Fault"/>) removes fault injection on one rule of the service's mesh
/// VirtualService. <paramref name="Rule"/> is the rule's name, else its label ("rule 2") or 1-based position.
/// Writes <c>percentage.value</c>; a deprecated integer <c>delay.percent</c> is migrated.
/// </summary>
public sealed record SetFault(ObjectRef Service, string Rule, FaultSettings? Fault) : ITrafficOperation
{
    /// <summary>
    /// The rule as the form read it. When set, the fault goes on exactly that rule (rules need no name), and a rule
    /// that changed since is refused rather than guessed; API callers name the rule in <see cref="Rule"/> instead.
    /// </summary>
    public RuleOrigin? Origin { get; init; }

    /// <summary>The gRPC status code names Istio accepts for <c>abort.grpcStatus</c>, in code order (0 to 16).</summary>
    public static readonly IReadOnlyList<string> GrpcStatusCodes =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    private static readonly HashSet<string> GrpcCodes = [.. GrpcStatusCodes];

    public ChangePlan Plan(MeshSnapshot snapshot)
    {
        var context = ServiceContext.For(snapshot, Service);
        var errors = new List<FieldError>();
        if (Fault is not null)
        {
            Validate(Fault, errors);
        }
        var vs = context.MeshVirtualService;
        if (vs is null)
        {
            errors.Add(new FieldError("rule", $"{context.Name} has no mesh VirtualService, so there is no rule to put a fault on"));
            ServiceContext.ThrowIfAny(errors);
        }
        var index = Origin is { } origin
            ? (origin.Index < vs!.Http.Length && vs.Http[origin.Index].Fingerprint == origin.Fingerprint ? origin.Index : -2)
            : FindRule(vs!.Http, Rule);
        if (index == -2)
        {
            errors.Add(new FieldError("rule", $"rule {Origin!.Index + 1} of VirtualService {vs.Name} changed since it was read; reload and apply again"));
        }
        else if (index < 0)
        {
            errors.Add(new FieldError("rule", $"VirtualService {vs.Name} has no rule \"{Rule}\""));
        }
        ServiceContext.ThrowIfAny(errors);

        var raw = vs.Source.CloneRaw();
        var rule = (JsonObject)raw["spec"]!["http"]![index]!;
        var label = vs.Http[index].Label;
        if (Fault is null)
        {
            rule.Remove("fault");
            return ServiceContext.Build($"{context.Name}: fault removed from {label}", [new ObjectChange(vs.Source.Ref, vs.Source, raw)]);
        }

        var fault = rule.GetOrAddObject("fault");
        if (HasAbort(Fault))
        {
            var abort = fault.GetOrAddObject("abort");
            // The one-of status is written in place when it stays the same kind, so the key order is kept. An abort
            // without a status is written as given: istiod accepts it with a warning, and so does the analyzer (MD009).
            var statusKey = Fault.AbortHttpStatus is not null ? "httpStatus" : Fault.AbortGrpcStatus is not null ? "grpcStatus" : null;
            foreach (var other in new[] { "httpStatus", "grpcStatus", "http2Error" }.Where(k => k != statusKey))
            {
                abort.Remove(other);
            }
            abort.Remove("percent");
            if (Fault.AbortHttpStatus is { } status)
            {
                if (abort.Int("httpStatus") != status)
                {
                    abort["httpStatus"] = status;
                }
            }
            else if (Fault.AbortGrpcStatus is { } grpc && abort.Str("grpcStatus") != grpc)
            {
                abort["grpcStatus"] = grpc;
            }
            SetPercentage(abort, Fault.AbortPercent);
        }
        else
        {
            fault.Remove("abort");
        }
        if (HasDelay(Fault))
        {
            var delay = fault.GetOrAddObject("delay");
            delay.Remove("percent");
            delay.Remove("exponentialDelay");
            if (Fault.FixedDelay is null)
            {
                delay.Remove("fixedDelay");
            }
            else if (delay.Str("fixedDelay") != Fault.FixedDelay)
            {
                delay["fixedDelay"] = Fault.FixedDelay;
            }
            SetPercentage(delay, Fault.DelayPercent);
        }
        else
        {
            fault.Remove("delay");
        }
        return ServiceContext.Build($"{context.Name}: fault on {label}: {Describe(Fault)}", [new ObjectChange(vs.Source.Ref, vs.Source, raw)]);
    }

    /// <summary>The rule by name, else by label ("rule 2"), else by 1-based position; -1 if none.</summary>
    internal static int FindRule(IReadOnlyList<HttpRouteView> rules, string rule)
    {
        var byName = rules.FirstOrDefault(r => r.Name == rule) ?? rules.FirstOrDefault(r => r.Label == rule);
        if (byName is not null)
        {
            return byName.Index;
        }
        return int.TryParse(rule, NumberStyles.None, CultureInfo.InvariantCulture, out var position) && position >= 1 && position <= rules.Count ? position - 1 : -1;
    }

    private static bool HasAbort(FaultSettings f) => f.AbortPercent is not null || f.AbortHttpStatus is not null || f.AbortGrpcStatus is not null;

    private static bool HasDelay(FaultSettings f) => f.DelayPercent is not null || f.FixedDelay is not null;

    /// <summary>
    /// Writes <c>percentage.value</c> in place; a value that is already the same number (100 or 100.0) is left as written.
    /// Null removes the percentage: istiod accepts that, and then the fault affects no request (the analyzer says so).
    /// </summary>
    private static void SetPercentage(JsonObject parent, double? value)
    {
        if (value is null)
        {
            parent.Remove("percentage");
            return;
        }
        var percentage = parent.GetOrAddObject("percentage");
        if (percentage.Number("value") != value)
        {
            percentage["value"] = value;
        }
    }

    /// <summary>The checks of the fault alone (no cluster state); also what the fault form shows while typing.</summary>
    public static IReadOnlyList<FieldError> Check(FaultSettings fault)
    {
        var errors = new List<FieldError>();
        Validate(fault, errors);
        return errors;
    }

    private static void Validate(FaultSettings f, List<FieldError> errors)
    {
        if (!HasAbort(f) && !HasDelay(f))
        {
            errors.Add(new FieldError("fault", "set an abort, a delay or both (or remove the fault)"));
            return;
        }
        // What istiod only warns about, or lets through, is not refused here (istio/istio pkg/config/validation,
        // validateHTTPFaultInjectionAbort and validateHTTPFaultInjectionDelay): an abort without a status (a warning),
        // a delay without a fixed delay, and a missing percentage (then no request is affected). The analyzer's MD009
        // reports each of them on the written rule.
        if (HasAbort(f))
        {
            if (f.AbortHttpStatus is not null && f.AbortGrpcStatus is not null)
            {
                errors.Add(new FieldError("fault.abortGrpcStatus", "an abort has either an HTTP status or a gRPC status, not both"));
            }
            else if (f.AbortHttpStatus is { } status && status is < MinHttpStatus or > MaxHttpStatus)
            {
                errors.Add(new FieldError("fault.abortHttpStatus", $"HTTP status {status} is outside {MinHttpStatus}..{MaxHttpStatus}"));
            }
            else if (f.AbortGrpcStatus is { } grpc && !GrpcCodes.Contains(grpc))
            {
                errors.Add(new FieldError("fault.abortGrpcStatus", $"\"{grpc}\" is not a gRPC status code name (e.g. UNAVAILABLE)"));
            }
            ValidatePercent(f.AbortPercent, "fault.abortPercent", errors);
        }
        if (HasDelay(f))
        {
            Durations.Validate(f.FixedDelay, "fault.fixedDelay", errors);
            ValidatePercent(f.DelayPercent, "fault.delayPercent", errors);
        }
    }

    /// <summary>
    /// The abort statuses istiod accepts: istio/istio pkg/config/validation/validation.go, <c>validateHTTPStatus</c>,
    /// refuses <c>status &lt; 200 || status &gt; 600</c> (its message says 200-599, the check lets 600 through).
    /// </summary>
    internal const int MinHttpStatus = 200;

    internal const int MaxHttpStatus = 600;

    internal static bool PercentInRange(double value) => value == 0 || (value >= 0.0001 && value <= 100);

    private static void ValidatePercent(double? value, string field, List<FieldError> errors)
    {
        if (value is null)
        {
            return;
        }
        if (double.IsNaN(value.Value) || !PercentInRange(value.Value))
        {
            errors.Add(new FieldError(field, $"{value.Value.ToString(CultureInfo.InvariantCulture)} is not a valid percentage (0, or 0.0001 to 100)"));
        }
    }

    private static string Describe(FaultSettings f)
    {
        var parts = new List<string>();
        if (HasAbort(f))
        {
            var status = f.AbortHttpStatus?.ToString(CultureInfo.InvariantCulture) ?? (f.AbortGrpcStatus is { } grpc ? "gRPC " + grpc : "no status set");
            parts.Add($"abort {RoutingDescriber.Percent(f.AbortPercent ?? 0)} with {status}");
        }
        if (HasDelay(f))
        {
            parts.Add($"delay {RoutingDescriber.Percent(f.DelayPercent ?? 0)} by {f.FixedDelay ?? "no fixed delay"}");
        }
        return string.Join(", ", parts);
    }
}
