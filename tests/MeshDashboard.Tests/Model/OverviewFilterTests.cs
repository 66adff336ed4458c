using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Model;

namespace MeshDashboard.Tests.Model;

public sealed class OverviewFilterTests
{
    private static readonly ServiceRow[] Rows = [.. ServiceCatalog.Build(DemoSnapshot.Build()).Select(ServiceRow.From)];

    [Fact]
    public void NoNamespacesChosen_ShowsEveryNamespace()
    {
        var rows = new OverviewFilter(null, []).Apply(Rows);

        Assert.Equal(Rows.Select(r => r.Namespace).Distinct().Order(StringComparer.Ordinal), rows.Select(r => r.Namespace).Distinct());
        Assert.Equal("All namespaces", new OverviewFilter(null, []).NamespacesText);
    }

    [Fact]
    public void SeveralNamespaces_ShowExactlyThoseInNamespaceThenNameOrder()
    {
        var filter = new OverviewFilter(null, ["myapp", "bookinfo"]);

        var rows = filter.Apply(Rows);

        Assert.All(rows, r => Assert.Contains(r.Namespace, new[] { "bookinfo", "myapp" }));
        Assert.Contains(rows, r => r.Namespace == "myapp");
        Assert.Equal(rows.OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal), rows);
        Assert.Equal("bookinfo, myapp", filter.NamespacesText);
    }

    [Fact]
    public void Search_MatchesSubsetNamesToo()
    {
        var rows = new OverviewFilter("v3", []).Apply(Rows);

        Assert.Contains(rows, r => r.Name == "reviews");
        Assert.DoesNotContain(rows, r => r.Name == "myapp");
    }
}
