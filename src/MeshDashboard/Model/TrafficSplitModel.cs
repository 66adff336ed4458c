using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Model;

/// <summary>
/// The traffic split form: the weights the default route has now, the weights proposed, and the subsets the person
/// locked. Every change returns a new model; moving one weight rebalances the unlocked others so the total stays 100.
/// </summary>
public sealed record TrafficSplitModel
{
    public required ImmutableArray<string> Subsets { get; init; }

    public required ImmutableDictionary<string, int> Current { get; init; }

    public required ImmutableDictionary<string, int> Proposed { get; init; }

    public ImmutableHashSet<string> Locked { get; init; } = [];

    /// <summary>False when no mesh VirtualService routes the service yet (applying creates one).</summary>
    public bool HasRoute { get; init; } = true;

    /// <summary>The TCP route (<c>spec.tcp[i]</c> of the mesh VirtualService) this form splits; null for the HTTP default route.</summary>
    public int? TcpRoute { get; init; }

    /// <summary>The TCP route's content as read, so that applying refuses a route someone changed in between.</summary>
    public string? TcpFingerprint { get; init; }

    /// <summary>Subsets that get a shadow copy of the default route's requests (percent copied): never a share of real traffic.</summary>
    public ImmutableDictionary<string, double> Mirrored { get; init; } = ImmutableDictionary<string, double>.Empty;

    public double? MirroredOf(string subset) => Mirrored.TryGetValue(subset, out var percent) ? percent : null;

    public int Total => Proposed.Values.Sum();

    public bool IsChanged => !HasRoute || Subsets.Any(s => Current.GetValueOrDefault(s) != Proposed.GetValueOrDefault(s));

    public bool CanApply => IsChanged && Total == 100 && Proposed.Values.All(w => w is >= 0 and <= 100);

    public int CurrentOf(string subset) => Current.GetValueOrDefault(subset);

    public int ProposedOf(string subset) => Proposed.GetValueOrDefault(subset);

    public bool IsLocked(string subset) => Locked.Contains(subset);

    public static TrafficSplitModel From(MeshService service)
    {
        var subsets = service.Subsets.Select(s => s.Name).Distinct().ToImmutableArray();
        var catchAll = service.MeshRoute?.Rules.FirstOrDefault(r => r.IsCatchAll);
        if (catchAll is null || subsets.IsEmpty)
        {
            var even = Weights.Even(subsets).ToImmutableDictionary();
            return new TrafficSplitModel
            {
                Subsets = subsets,
                Current = subsets.ToImmutableDictionary(s => s, _ => 0),
                Proposed = even,
                HasRoute = false,
            };
        }
        var current = CurrentShares(subsets, catchAll.Destinations, catchAll.EffectivePercentages);
        var mirrored = catchAll.Mirrors.Where(m => m.Destination.Subset is not null)
            .GroupBy(m => m.Destination.Subset!)
            .ToImmutableDictionary(g => g.Key, g => g.Sum(m => m.Percent));
        return new TrafficSplitModel { Subsets = subsets, Current = current, Proposed = current, Mirrored = mirrored };
    }

    /// <summary>
    /// The split of one TCP route of the service's mesh VirtualService (Istio's tcp-echo shape: an 80/20 split of
    /// connections). TCP routes have no mirror; the same sliders, locks and rules apply.
    /// </summary>
    public static TrafficSplitModel FromTcp(MeshService service, L4RouteView route)
    {
        var subsets = service.Subsets.Select(s => s.Name).Distinct().ToImmutableArray();
        var current = CurrentShares(subsets, route.Destinations, route.EffectivePercentages);
        return new TrafficSplitModel
        {
            Subsets = subsets,
            Current = current,
            Proposed = current,
            TcpRoute = route.Index,
            TcpFingerprint = route.Fingerprint,
        };
    }

    /// <summary>Each subset's share of a route now, as whole percentages that total 100 (Envoy's effective weights, rounded).</summary>
    private static ImmutableDictionary<string, int> CurrentShares(ImmutableArray<string> subsets, ImmutableArray<RouteDestinationView> destinations, ImmutableArray<double> percentages)
    {
        var exact = subsets.ToDictionary(s => s, _ => 0.0);
        for (var i = 0; i < destinations.Length; i++)
        {
            if (destinations[i].Subset is { } subset && exact.ContainsKey(subset))
            {
                exact[subset] += percentages[i];
            }
        }
        return Percentages.Round(subsets, exact);
    }

    /// <summary>Moves one subset to <paramref name="value"/>; the unlocked others absorb the difference.</summary>
    public TrafficSplitModel Move(string subset, int value)
    {
        if (IsLocked(subset) || !Proposed.ContainsKey(subset))
        {
            return this;
        }
        var ordered = Subsets.ToDictionary(s => s, ProposedOf);
        return this with { Proposed = Weights.Rebalance(ordered, subset, value, Locked).ToImmutableDictionary() };
    }

    public TrafficSplitModel ToggleLock(string subset) =>
        this with { Locked = IsLocked(subset) ? Locked.Remove(subset) : Locked.Add(subset) };

    public TrafficSplitModel Even() => this with { Proposed = Weights.Even(Subsets).ToImmutableDictionary(), Locked = [] };

    public TrafficSplitModel AllTo(string subset) =>
        this with { Proposed = Subsets.ToImmutableDictionary(s => s, s => s == subset ? 100 : 0), Locked = [] };

    public TrafficSplitModel Reset() => this with { Proposed = Current, Locked = [] };

    /// <summary>
    /// Takes the split as it is now (<paramref name="now"/>, read from a newer state of the service) as the current
    /// figures. A proposal the person made stays as it is, beside the new figures; an untouched form (proposing what
    /// was current, nothing locked) follows, so it proposes no change. The route's fingerprint stays the one the form was
    /// opened on, so applying over someone else's TCP change is still refused.
    /// </summary>
    public TrafficSplitModel Follow(TrafficSplitModel now)
    {
        var current = Subsets.ToImmutableDictionary(s => s, now.CurrentOf);
        var untouched = HasRoute && Locked.IsEmpty && Subsets.All(s => ProposedOf(s) == CurrentOf(s));
        return this with
        {
            Current = current,
            Proposed = untouched ? current : Proposed,
            Mirrored = now.Mirrored,
        };
    }

    /// <summary>The operation that writes the proposed weights, in subset order: to the HTTP default route or to the TCP route.</summary>
    public ITrafficOperation ToOperation(ObjectRef service)
    {
        var weights = new Dictionary<string, int>();
        foreach (var subset in Subsets)
        {
            weights[subset] = ProposedOf(subset);
        }
        return TcpRoute is { } route
            ? new SetTcpWeights(service, route, weights) { Fingerprint = TcpFingerprint }
            : new SetWeights(service, weights);
    }
}

/// <summary>Rounding effective percentages to whole numbers that still total 100.</summary>
public static class Percentages
{
    public static ImmutableDictionary<string, int> Round(IReadOnlyList<string> keys, IReadOnlyDictionary<string, double> exact)
    {
        var floors = keys.ToDictionary(k => k, k => (int)Math.Floor(exact.GetValueOrDefault(k)));
        var total = exact.Values.Sum();
        if (total > 0)
        {
            var left = (int)Math.Round(total) - floors.Values.Sum();
            foreach (var key in keys.OrderByDescending(k => exact.GetValueOrDefault(k) - floors[k]).Take(Math.Max(0, left)))
            {
                floors[key]++;
            }
        }
        return floors.ToImmutableDictionary();
    }
}
