using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace MeshDashboard.Model;

/// <summary>
/// The overview's search, namespace filter and whether gateways and system workloads are listed, applied to immutable
/// rows. No namespaces chosen means all of them; gateways and system workloads are left out unless asked for, so the
/// list is the applications a person routes.
/// </summary>
public sealed record OverviewFilter(string? Search, ImmutableSortedSet<string> Namespaces, bool WithInfrastructure = false)
{
    /// <summary>
    /// Rows in the chosen namespaces whose shown text (<see cref="ServiceRow.SearchText"/>, lower-cased when the row was
    /// made) holds every word searched for: only the search words are lower-cased here.
    /// </summary>
    public ImmutableArray<ServiceRow> Apply(IEnumerable<ServiceRow> rows)
    {
        var words = Words;
        var kept = rows.Where(r => Matches(r, words) && (WithInfrastructure || r.IsApp)).ToArray();
        // The catalog lists services in this order already: checking costs one pass, sorting again on every keystroke more.
        if (!IsInOrder(kept))
        {
            Array.Sort(kept, InNamespaceThenNameOrder);
        }
        return ImmutableCollectionsMarshal.AsImmutableArray(kept);
    }

    private static int InNamespaceThenNameOrder(ServiceRow a, ServiceRow b)
    {
        var byNamespace = string.CompareOrdinal(a.Namespace, b.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(a.Name, b.Name);
    }

    private static bool IsInOrder(ServiceRow[] rows)
    {
        for (var i = 1; i < rows.Length; i++)
        {
            if (InNamespaceThenNameOrder(rows[i - 1], rows[i]) > 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>How many gateway and system rows the search and namespaces would show, were they listed.</summary>
    public int InfrastructureMatching(IEnumerable<ServiceRow> rows)
    {
        var words = Words;
        return rows.Count(r => !r.IsApp && Matches(r, words));
    }

    private string[] Words => (Search ?? "").ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private bool Matches(ServiceRow row, string[] words) =>
        (Namespaces.IsEmpty || Namespaces.Contains(row.Namespace)) && words.All(w => row.SearchText.Contains(w, StringComparison.Ordinal));

    /// <summary>How the namespace picker reads: "All namespaces", or the chosen ones.</summary>
    public string NamespacesText => Namespaces.IsEmpty ? "All namespaces" : string.Join(", ", Namespaces);
}
