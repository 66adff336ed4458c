using System.Collections.Immutable;
using System.Globalization;
using MeshDashboard.Mesh.Analysis;
using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Model;

/// <summary>One coloured segment of a split bar.</summary>
public sealed record SplitSegment(string Subset, double Percent, string Color)
{
    public string Text => $"{Subset} {Math.Round(Percent).ToString(CultureInfo.InvariantCulture)}%";

    public string Style => $"width: {Percent.ToString("0.##", CultureInfo.InvariantCulture)}%; background: {Color}";
}

/// <summary>One rule of a VirtualService drawn as a bar: who it applies to and how it splits.</summary>
public sealed record SplitBar(string Label, string Who, ImmutableArray<SplitSegment> Segments);

/// <summary>What the service page's header shows; rebuilt from each mesh state.</summary>
public sealed record ServiceHeaderModel
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public required int Pods { get; init; }

    public required int ReadyPods { get; init; }

    public required string? ManagedBy { get; init; }

    public required ImmutableArray<Finding> Findings { get; init; }

    public required ImmutableArray<string> RoutingSummary { get; init; }

    public required ImmutableArray<SplitBar> Bars { get; init; }

    public bool IsReadOnly => ManagedBy is not null;

    public static ServiceHeaderModel From(MeshService service)
    {
        var subsetOrder = service.Subsets.Select(s => s.Name).Distinct().ToList();
        string ColorOf(string? subset)
        {
            var i = subset is null ? -1 : subsetOrder.IndexOf(subset);
            if (i < 0 && subset is not null)
            {
                subsetOrder.Add(subset);
                i = subsetOrder.Count - 1;
            }
            return SubsetColors.At(i);
        }
        var bars = service.Routes.SelectMany(route => route.Rules
            .Where(rule => !rule.Destinations.IsEmpty)
            .Select(rule =>
            {
                var percentages = rule.EffectivePercentages;
                var segments = rule.Destinations
                    .Select((d, i) => new SplitSegment(d.Subset ?? d.Host, percentages[i], ColorOf(d.Subset)))
                    .Where(s => s.Percent > 0)
                    .ToImmutableArray();
                var who = rule.IsCatchAll ? "everyone else" : string.Join(" or ", rule.Matches.Select(m => m.Describe()));
                return new SplitBar($"{route.VirtualService.Name} · {rule.Label}", who, segments);
            }))
            .ToImmutableArray();
        return new ServiceHeaderModel
        {
            Namespace = service.Namespace,
            Name = service.Name,
            Pods = service.Pods,
            ReadyPods = service.ReadyPods,
            ManagedBy = service.ManagedBy,
            Findings = service.Findings,
            RoutingSummary = service.RoutingSummary,
            Bars = bars,
        };
    }
}
