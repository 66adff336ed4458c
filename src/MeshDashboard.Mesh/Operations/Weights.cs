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
    /// The route list for the given weights: one destination per subset with weight above 0, in input order.
    /// Existing entries for the same subset keep their other fields (headers, port, ...). A sole destination is
    /// written without a weight; several get their weights.
    /// </summary>
    internal static JsonArray Destinations(IReadOnlyDictionary<string, int> weights, JsonArray? existing, ServiceContext context, string vsNamespace)
    {
        var entries = (existing ?? []).OfType<JsonObject>().ToList();
        var positive = weights.Where(p => p.Value > 0).ToList();
        var route = new JsonArray();
        foreach (var (subset, weight) in positive)
        {
            var previous = entries.FirstOrDefault(e =>
                e.Obj("destination").Str("subset") == subset && context.IsThisService(e.Obj("destination").Str("host") ?? "", vsNamespace));
            var entry = previous is null
                ? new JsonObject { ["destination"] = new JsonObject { ["host"] = context.HostFor(vsNamespace), ["subset"] = subset } }
                : (JsonObject)previous.DeepClone();
            if (positive.Count == 1)
            {
                entry.Remove("weight");
            }
            else
            {
                entry["weight"] = weight;
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
