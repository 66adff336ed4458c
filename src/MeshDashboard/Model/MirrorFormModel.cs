using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Model;

/// <summary>
/// The mirror form for one rule: a shadow copy of a share of the rule's requests to a subset of this service. Copies
/// are never answered from. No subset means no mirroring; an empty percent means all requests (Istio's default).
/// </summary>
public sealed record MirrorFormModel : IValidatedForm
{
    public required ImmutableArray<RuleChoice> Rules { get; init; }

    /// <summary>The subsets the service's DestinationRules define, the only places a copy can go.</summary>
    public required ImmutableArray<string> Subsets { get; init; }

    /// <summary>The service's fully qualified host, to tell this service's mirrors from copies to other hosts.</summary>
    public required string Fqdn { get; init; }

    /// <summary>The VirtualService's namespace, against which its short host names resolve.</summary>
    public required string RuleNamespace { get; init; }

    public string? Rule { get; init; }

    public string? Subset { get; init; }

    public double? Percent { get; init; }

    public RuleChoice? Selected => Rules.FirstOrDefault(r => r.Key == Rule);

    /// <summary>The rules as they are now (<see cref="Follow"/>); the form's own <see cref="Rules"/> until a newer state arrives.</summary>
    public ImmutableArray<RuleChoice>? LiveRules { get; init; }

    /// <summary>Takes the service's rules as they are now, for the "now" line; the person's choices stay.</summary>
    public MirrorFormModel Follow(MeshService live) => this with { LiveRules = RuleChoice.AllOf(live) };

    public bool HasExistingMirror => Selected?.Rule.Mirrors.IsEmpty == false;

    /// <summary>The selected rule's copies in words, including those to other hosts, which this form leaves alone or replaces.</summary>
    public ImmutableArray<string> CurrentCopies =>
        (LiveRules ?? Rules).FirstOrDefault(r => r.Key == Rule) is not { } now ? [] : [.. now.Rule.Mirrors.Select(m => $"{RoutingDescriber.Percent(m.Percent)} to {m.Destination.Subset ?? m.Destination.Host}{(IsThisService(m.Destination.Host) ? "" : $" ({m.Destination.Host})")}")];

    public static MirrorFormModel From(MeshService service)
    {
        var model = new MirrorFormModel
        {
            Rules = RuleChoice.AllOf(service),
            Subsets = [.. service.DestinationRules.SelectMany(d => d.Subsets).Select(s => s.Name).Distinct()],
            Fqdn = service.Fqdn,
            RuleNamespace = service.MeshRoute?.VirtualService.Namespace ?? service.Namespace,
        };
        var first = model.Rules.FirstOrDefault(r => !r.Rule.Mirrors.IsEmpty) ?? model.Rules.FirstOrDefault();
        return first is null ? model : model.Select(first.Key);
    }

    /// <summary>Chooses a rule and loads its mirror to this service (if any) into the fields.</summary>
    public MirrorFormModel Select(string? key)
    {
        var choice = Rules.FirstOrDefault(r => r.Key == key);
        var mirror = choice?.Rule.Mirrors.FirstOrDefault(m => IsThisService(m.Destination.Host));
        return this with { Rule = key, Subset = mirror?.Destination.Subset, Percent = mirror?.Percent };
    }

    private bool IsThisService(string host) => HostNames.Resolve(host, RuleNamespace) == Fqdn;

    private MirrorSettings? Settings => string.IsNullOrWhiteSpace(Subset) ? null : new MirrorSettings(Subset, Percent ?? 100);

    /// <summary>Errors by form field ("rule", "subset", "percent"): the operation's own checks.</summary>
    public ImmutableDictionary<string, string> Validate()
    {
        var errors = ImmutableDictionary.CreateBuilder<string, string>();
        if (Selected is null)
        {
            errors["rule"] = "choose the rule whose requests to copy";
        }
        if (Settings is { } settings)
        {
            var found = new List<FieldError>();
            SetMirror.Validate(settings, Subsets.ToImmutableHashSet(), found);
            foreach (var error in found)
            {
                errors.TryAdd(error.Field, error.Message);
            }
        }
        else if (!HasExistingMirror && Selected is not null)
        {
            errors["subset"] = "choose a subset to copy requests to";
        }
        return errors.ToImmutable();
    }

    public SetMirror ToOperation(ObjectRef service) => new(service, Rule ?? "", Settings) { Origin = Selected?.Origin };

    public SetMirror RemoveOperation(ObjectRef service) => new(service, Rule ?? "", null) { Origin = Selected?.Origin };
}
