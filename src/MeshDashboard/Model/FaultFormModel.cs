using System.Collections.Immutable;
using System.Globalization;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Model;

/// <summary>A rule of the mesh VirtualService the fault can go on.</summary>
public sealed record FaultRuleOption(string Key, string Label, string Conditions, bool IsCatchAll, FaultView? Fault, RuleOrigin Origin);

/// <summary>
/// The fault injection form for one rule: abort a share of requests with an HTTP or a gRPC status, delay a share by
/// a fixed time, or both. Values are as typed; <see cref="Validate"/> names the field of each problem.
/// </summary>
public sealed record FaultFormModel : IValidatedForm
{
    public required ImmutableArray<FaultRuleOption> Rules { get; init; }

    public string? Rule { get; init; }

    public double? AbortPercent { get; init; }

    public int? AbortStatus { get; init; }

    /// <summary>Whether the abort answers with a gRPC status (<see cref="AbortGrpcStatus"/>) instead of an HTTP one.</summary>
    public bool AbortIsGrpc { get; init; }

    public string? AbortGrpcStatus { get; init; }

    public double? DelayPercent { get; init; }

    public string? FixedDelay { get; init; }

    public FaultRuleOption? Selected => Rules.FirstOrDefault(r => r.Key == Rule);

    /// <summary>A fault on a catch-all rule hits everyone who reaches it, not a test group.</summary>
    public bool AppliesToEveryone => Selected?.IsCatchAll == true;

    public bool HasExistingFault => Selected?.Fault is not null;

    public static FaultFormModel From(MeshService service)
    {
        var rules = (service.MeshRoute?.Rules ?? []).Select(r => new FaultRuleOption(
            r.Name ?? (r.Index + 1).ToString(CultureInfo.InvariantCulture),
            r.Label,
            r.IsCatchAll ? "everyone else" : string.Join(" or ", r.Matches.Select(m => m.Describe())),
            r.IsCatchAll,
            r.Fault,
            new RuleOrigin(r.Index, r.Fingerprint))).ToImmutableArray();
        var model = new FaultFormModel { Rules = rules };
        var first = rules.FirstOrDefault(r => r.Fault is not null) ?? rules.FirstOrDefault();
        return first is null ? model : model.Select(first.Key);
    }

    /// <summary>Chooses a rule and loads its current fault into the fields.</summary>
    public FaultFormModel Select(string? key)
    {
        var fault = Rules.FirstOrDefault(r => r.Key == key)?.Fault;
        return this with
        {
            Rule = key,
            AbortPercent = fault?.HasAbort == true ? fault.AbortPercent : null,
            AbortStatus = fault?.AbortHttpStatus is { } s ? (int)s : null,
            AbortIsGrpc = fault?.AbortGrpcStatus is not null,
            AbortGrpcStatus = fault?.AbortGrpcStatus,
            DelayPercent = fault?.HasDelay == true ? fault.DelayPercent : null,
            FixedDelay = fault?.FixedDelay,
        };
    }

    private bool HasAbort => AbortPercent is not null || (AbortIsGrpc ? !string.IsNullOrEmpty(AbortGrpcStatus) : AbortStatus is not null);

    private bool HasDelay => DelayPercent is not null || !string.IsNullOrWhiteSpace(FixedDelay);

    /// <summary>
    /// Errors by form field ("rule", "abortStatus", "fixedDelay", ...): the choice of rule, then the operation's own
    /// checks of the fault, so what shows while typing is what preview would say.
    /// </summary>
    public ImmutableDictionary<string, string> Validate()
    {
        var errors = ImmutableDictionary.CreateBuilder<string, string>();
        if (Selected is null)
        {
            errors["rule"] = "choose the rule to inject the fault into";
        }
        foreach (var error in SetFault.Check(Settings))
        {
            errors.TryAdd(error.Field switch
            {
                // A missing status is reported at the status field the form shows.
                "fault.abortHttpStatus" => AbortIsGrpc ? "abortGrpcStatus" : "abortStatus",
                "fault" => "fault",
                var field => field["fault.".Length..],
            }, error.Message);
        }
        return errors.ToImmutable();
    }

    public SetFault ToOperation(ObjectRef service) => new(service, Rule ?? "", Settings)
    {
        Origin = Selected?.Origin,
    };

    private FaultSettings Settings => new(
            HasAbort ? AbortPercent : null,
            HasAbort && !AbortIsGrpc ? AbortStatus : null,
            HasAbort && AbortIsGrpc ? AbortGrpcStatus : null,
            HasDelay ? DelayPercent : null,
            HasDelay ? FixedDelay?.Trim() : null);

    public SetFault RemoveOperation(ObjectRef service) => new(service, Rule ?? "", null) { Origin = Selected?.Origin };
}
