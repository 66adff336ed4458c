using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Operations;

/// <summary>Weight arithmetic for the UI's sliders, and the weight rules every operation applies before writing.</summary>
public static class Weights
{
    /// <summary>
    /// Moves one subset's weight to <paramref name="newValue"/> and spreads the difference over the unlocked
    /// others in proportion to their current weights (evenly when they are all 0), so the total stays 100.
    /// When the locked weights leave no room, the moved value is clamped to what is left.
    /// </summary>
    public static IReadOnlyDictionary<string, int> Rebalance(IReadOnlyDictionary<string, int> current, string moved, int newValue, IReadOnlySet<string> locked)
    {
        if (!current.ContainsKey(moved))
        {
            throw new ArgumentException($"\"{moved}\" is not one of the weights.", nameof(moved));
        }
        var lockedSum = current.Where(p => p.Key != moved && locked.Contains(p.Key)).Sum(p => Math.Max(0, p.Value));
        var available = Math.Clamp(100 - lockedSum, 0, 100);
        var free = current.Keys.Where(k => k != moved && !locked.Contains(k)).ToList();
        var value = free.Count == 0 ? available : Math.Clamp(newValue, 0, available);
        var shares = Distribute(available - value, free.Select(k => Math.Max(0, current[k])).ToList());

        var result = new Dictionary<string, int>();
        foreach (var key in current.Keys)
        {
            result[key] = key == moved ? value : locked.Contains(key) ? current[key] : shares[free.IndexOf(key)];
        }
        return result;
    }

    /// <summary>Splits 100 evenly, the first subsets taking the remainder: 3 subsets give 34/33/33.</summary>
    public static IReadOnlyDictionary<string, int> Even(IReadOnlyList<string> subsets)
    {
        var result = new Dictionary<string, int>();
        if (subsets.Count == 0)
        {
            return result;
        }
        var shares = Distribute(100, [.. subsets.Select(_ => 1)]);
        for (var i = 0; i < subsets.Count; i++)
        {
            result[subsets[i]] = shares[i];
        }
        return result;
    }

    /// <summary>Splits 100 in proportion to <paramref name="basis"/> (e.g. pod counts), whole numbers that total 100.</summary>
    public static IReadOnlyDictionary<string, int> Proportional(IReadOnlyList<string> subsets, IReadOnlyList<int> basis)
    {
        var shares = Distribute(100, basis);
        return Enumerable.Range(0, subsets.Count).ToDictionary(i => subsets[i], i => shares[i]);
    }

    /// <summary>Largest-remainder split of <paramref name="total"/> in proportion to <paramref name="basis"/> (evenly if the basis is all 0).</summary>
    private static int[] Distribute(int total, IReadOnlyList<int> basis)
    {
        var result = new int[basis.Count];
        if (basis.Count == 0)
        {
            return result;
        }
        var sum = basis.Sum();
        var exact = basis.Select(b => sum == 0 ? (double)total / basis.Count : (double)total * b / sum).ToArray();
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (int)Math.Floor(exact[i]);
        }
        var left = total - result.Sum();
        foreach (var i in Enumerable.Range(0, result.Length).OrderByDescending(i => exact[i] - result[i]).ThenBy(i => i).Take(left))
        {
            result[i]++;
        }
        return result;
    }

    /// <summary>Checks weights as we write them: each 0..100, total exactly 100, at least one above 0, every subset defined.</summary>
    internal static void Validate(IReadOnlyDictionary<string, int> weights, string field, IReadOnlySet<string> definedSubsets, List<FieldError> errors)
    {
        if (weights.Count == 0)
        {
            errors.Add(new FieldError(field, "at least one subset needs a weight above 0"));
            return;
        }
        foreach (var (subset, weight) in weights)
        {
            if (string.IsNullOrWhiteSpace(subset))
            {
                errors.Add(new FieldError(field, "a subset name is empty"));
                continue;
            }
            if (weight is < 0 or > 100)
            {
                errors.Add(new FieldError($"{field}.{subset}", $"weight {weight} is outside 0..100"));
            }
            if (!definedSubsets.Contains(subset))
            {
                errors.Add(new FieldError($"{field}.{subset}", $"subset \"{subset}\" is not defined in a DestinationRule for this host; requests routed to it would fail with 503"));
            }
        }
        if (weights.Values.All(w => w <= 0))
        {
            errors.Add(new FieldError(field, "at least one subset needs a weight above 0"));
        }
        else if (weights.Values.Sum() != 100)
        {
            errors.Add(new FieldError(field, $"weights total {weights.Values.Sum()}; they must total exactly 100"));
        }
    }

    /// <summary>
    /// The route list for the given weights, edited rather than rebuilt so that nothing nobody asked to change moves:
    /// <list type="bullet">
    /// <item>Destinations already in the route keep their place, their host spelling and every other field (headers,
    /// port, ...); only their <c>weight</c> is written, and only when it differs.</item>
    /// <item>A subset with a weight above 0 that the route does not have yet is appended, in input order, with the host
    /// spelled as the route (or the VirtualService) already spells this service (<paramref name="hostSpelling"/>).</item>
    /// <item>A destination that carries no traffic now (weight 0, or no weight beside other destinations) and gets no
    /// weight above 0 stays exactly as it is: setting weights never has to remove it.</item>
    /// <item>A destination that carries traffic now and gets none (weight 0, or left out of the input) is removed: the
    /// input is the whole split, so "0" means "take it out of the route". This includes destinations of other hosts.</item>
    /// <item>A sole destination needs no weight: it is written without one, except that an existing <c>weight: 100</c>
    /// is kept. Several destinations all get their weights.</item>
    /// </list>
    /// </summary>
    internal static JsonArray Destinations(IReadOnlyDictionary<string, int> weights, JsonArray? existing, ServiceContext context, string vsNamespace, string hostSpelling)
    {
        var entries = (existing ?? []).OfType<JsonObject>().ToList();
        var kept = new List<(JsonObject Entry, int? Weight)>();
        var placed = new HashSet<string>();
        foreach (var previous in entries)
        {
            var destination = previous.Obj("destination");
            var subset = destination.Str("subset");
            if (subset is not null && context.IsThisService(destination.Str("host") ?? "", vsNamespace)
                && weights.TryGetValue(subset, out var weight) && weight > 0 && placed.Add(subset))
            {
                kept.Add(((JsonObject)previous.DeepClone(), weight));
            }
            else if (entries.Count > 1 && (previous.Int("weight") ?? 0) == 0)
            {
                kept.Add(((JsonObject)previous.DeepClone(), null));
            }
        }
        foreach (var (subset, weight) in weights.Where(p => p.Value > 0 && !placed.Contains(p.Key)))
        {
            kept.Add((new JsonObject { ["destination"] = new JsonObject { ["host"] = hostSpelling, ["subset"] = subset } }, weight));
        }

        var route = new JsonArray();
        foreach (var (entry, weight) in kept)
        {
            if (weight is { } w)
            {
                if (kept.Count == 1)
                {
                    if (entry.Int("weight") != 100)
                    {
                        entry.Remove("weight");
                    }
                }
                else if (entry.Int("weight") != w)
                {
                    // Replacing an existing key keeps its place in the object.
                    entry["weight"] = w;
                }
            }
            route.Add(entry);
        }
        return route;
    }

    internal static string Describe(IReadOnlyDictionary<string, int> weights)
    {
        var positive = weights.Where(p => p.Value > 0).ToList();
        return positive.Count == 1 ? $"all to {positive[0].Key}" : string.Join(", ", positive.Select(p => $"{p.Key} {p.Value}%"));
    }
}
