using System.Globalization;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Operations;

/// <summary>A shadow copy of <paramref name="Percent"/> percent of a rule's requests to a subset of the same service.</summary>
public sealed record MirrorSettings(string Subset, double Percent);

/// <summary>
/// Mirrors (shadows) one HTTP rule's requests to a subset of the same service, or with a null <paramref name="Mirror"/>
/// stops the rule's mirroring. Copies are fire-and-forget: their answers are dropped, they are never a share of real
/// traffic. The rule is addressed as <see cref="SetFault"/> addresses rules.
/// </summary>
/// <remarks>
/// A rule that uses the <c>mirrors</c> list (Istio 1.19+) is edited there: this service's entry (the one of that subset,
/// else the first) gets the subset and <c>percentage.value</c>, further entries of this service go, entries of other
/// hosts stay. Otherwise the single <c>mirror</c> is written with <c>mirrorPercentage.value</c> (the deprecated integer
/// <c>mirrorPercent</c> is migrated); it holds one destination, so a mirror to another host is replaced. A new
/// destination spells the host as the rule's routes spell this service; an existing one keeps its host and port.
/// Null removes <c>mirror</c>, <c>mirrorPercentage</c>, <c>mirrorPercent</c> and <c>mirrors</c>. A rule that has both
/// <c>mirror</c> and <c>mirrors</c> is refused, as istiod refuses it.
/// </remarks>
public sealed record SetMirror(ObjectRef Service, string Rule, MirrorSettings? Mirror) : ITrafficOperation
{
    /// <summary>The rule as it was read; see <see cref="SetFault.Origin"/>. A rule changed since is a conflict.</summary>
    public RuleOrigin? Origin { get; init; }

    public ChangePlan Plan(MeshSnapshot snapshot)
    {
        var context = ServiceContext.For(snapshot, Service);
        var errors = new List<FieldError>();
        if (Mirror is not null)
        {
            Validate(Mirror, context.DefinedSubsets, errors);
        }
        ServiceContext.ThrowIfAny(errors);
        var (vs, index) = OneHttpRule.Find(context, Rule, Origin, "a mirror");

        var raw = vs.Source.CloneRaw();
        var rule = (JsonObject)raw["spec"]!["http"]![index]!;
        var label = vs.Http[index].Label;
        var list = rule["mirrors"] as JsonArray;
        if (rule["mirror"] is not null && list is { Count: > 0 })
        {
            throw new OperationException([new FieldError("rule", $"{label} of VirtualService {vs.Name} has both mirror and mirrors, which Istio refuses; keep one of them first")]);
        }
        if (Mirror is null)
        {
            foreach (var key in new[] { "mirror", "mirrorPercentage", "mirrorPercent", "mirrors" })
            {
                rule.Remove(key);
            }
            return ServiceContext.Build($"{context.Name}: mirroring removed from {label}", [new ObjectChange(vs.Source.Ref, vs.Source, raw)]);
        }

        var spelling = context.HostSpelling(vs.Namespace, [rule.Arr("route"), .. ServiceContext.RoutesOf(vs.Source.Spec)]);
        if (list is { Count: > 0 })
        {
            WriteList(list, context, vs.Namespace, spelling);
        }
        else
        {
            WriteSingle(rule, context, vs.Namespace, spelling);
        }
        return ServiceContext.Build($"{context.Name}: mirror {RoutingDescriber.Percent(Mirror.Percent)} of {label} to {Mirror.Subset}",
            [new ObjectChange(vs.Source.Ref, vs.Source, raw)]);
    }

    private void WriteSingle(JsonObject rule, ServiceContext context, string ns, string spelling)
    {
        var settings = Mirror!;
        var isNew = rule["mirror"] is not JsonObject mirror || !context.IsThisService(mirror.Str("host") ?? "", ns);
        if (isNew)
        {
            rule["mirror"] = new JsonObject { ["host"] = spelling, ["subset"] = settings.Subset };
        }
        else if (rule["mirror"] is JsonObject existing && existing.Str("subset") != settings.Subset)
        {
            existing["subset"] = settings.Subset;
        }
        var current = rule.Obj("mirrorPercentage").Number("value") ?? rule.Int("mirrorPercent") ?? 100;
        var deprecated = rule.Remove("mirrorPercent");
        if (isNew || deprecated || current != settings.Percent)
        {
            SetValue(rule.GetOrAddObject("mirrorPercentage"), settings.Percent);
        }
    }

    private void WriteList(JsonArray list, ServiceContext context, string ns, string spelling)
    {
        var ours = list.OfType<JsonObject>().Where(e => context.IsThisService(e.Obj("destination").Str("host") ?? "", ns)).ToList();
        var target = ours.FirstOrDefault(e => e.Obj("destination").Str("subset") == Mirror!.Subset) ?? ours.FirstOrDefault();
        foreach (var other in ours.Where(e => !ReferenceEquals(e, target)))
        {
            list.Remove(other);
        }
        if (target is null)
        {
            list.Add(new JsonObject
            {
                ["destination"] = new JsonObject { ["host"] = spelling, ["subset"] = Mirror!.Subset },
                ["percentage"] = new JsonObject { ["value"] = Mirror.Percent },
            });
            return;
        }
        var destination = target.GetOrAddObject("destination");
        if (destination.Str("subset") != Mirror!.Subset)
        {
            destination["subset"] = Mirror.Subset;
        }
        if ((target.Obj("percentage").Number("value") ?? 100) != Mirror.Percent)
        {
            SetValue(target.GetOrAddObject("percentage"), Mirror.Percent);
        }
    }

    private static void SetValue(JsonObject percentage, double value)
    {
        if (percentage.Number("value") != value)
        {
            percentage["value"] = value;
        }
    }

    /// <summary>The checks of the mirror alone and against the service's subsets, named by the request's fields.</summary>
    public static void Validate(MirrorSettings mirror, IReadOnlySet<string> definedSubsets, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(mirror.Subset))
        {
            errors.Add(new FieldError("subset", "a subset to mirror to is required (null removes mirroring)"));
        }
        else if (!definedSubsets.Contains(mirror.Subset))
        {
            errors.Add(new FieldError("subset", $"subset \"{mirror.Subset}\" is not defined in a DestinationRule for this host; mirrored copies would go nowhere"));
        }
        // istiod takes any mirror share from 0 to 100 (virtualservice.go, validateHTTPRoute); 0 mirrors nothing but is valid.
        if (double.IsNaN(mirror.Percent) || mirror.Percent < 0 || mirror.Percent > 100)
        {
            errors.Add(new FieldError("percent", $"{mirror.Percent.ToString(CultureInfo.InvariantCulture)} is not a share to mirror: 0 to 100 (null subset removes mirroring)"));
        }
    }
}
