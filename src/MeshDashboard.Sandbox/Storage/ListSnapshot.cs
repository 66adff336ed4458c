using MeshDashboard.Sandbox.Api;

namespace MeshDashboard.Sandbox.Storage;

/// <summary>
/// The objects of one kind (and namespace) in list order, as of <see cref="Revision"/>; <see cref="KindRevision"/> is the
/// kind's latest write then, which names the snapshot in a continue token.
/// </summary>
public sealed record ListSnapshot(IReadOnlyList<StoredObject> Items, long Revision, long KindRevision)
{
    /// <summary>Where the first item after (<paramref name="ns"/>, <paramref name="name"/>) is: a binary search, as the list is sorted.</summary>
    public int IndexAfter(string ns, string name)
    {
        var low = 0;
        var high = Items.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (ObjectOrder.Compare(Items[middle], ns, name) <= 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }
}

/// <summary>The order of a list, as the API server's: namespace, then name, both ordinal.</summary>
internal sealed class ObjectOrder : IComparer<StoredObject>
{
    public static readonly ObjectOrder Instance = new();

    // Kubernetes names are DNS labels or subdomains (lower-case ASCII): no name sorts before "" or after U+FFFF.
    private const string AfterEveryName = "\uffff";

    public int Compare(StoredObject? x, StoredObject? y) =>
        x is null || y is null ? Comparer<object>.Default.Compare(x, y) : Compare(x, y.Namespace, y.Name);

    public static int Compare(StoredObject item, string ns, string name)
    {
        var byNamespace = string.CompareOrdinal(item.Namespace, ns);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(item.Name, name);
    }

    /// <summary>Bounds of a namespace's range in a kind's sorted set.</summary>
    public static StoredObject First(ResourceType type, string ns) => new(type, ns, "", 0, NoContent);

    public static StoredObject Last(ResourceType type, string ns) => new(type, ns, AfterEveryName, 0, NoContent);

    // A bound is compared by its place only; one shared (never written) body serves every bound of every list.
    private static readonly byte[] NoContent = "{}"u8.ToArray();
}
