using System.Net;
using System.Text.Json.Nodes;
using k8s.Autorest;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Cluster.Tests.Watching;

/// <summary>Listing a kind in pages, with a hand-written server of pages.</summary>
public sealed class ListPagingTests
{
    private static KindSources.Listed List(string resourceVersion, string? next, params string[] names) =>
        new([.. names.Select(n => new KubeObject(ResourceKind.Service, new JsonObject { ["metadata"] = new JsonObject { ["name"] = n } }))], resourceVersion, next);

    private static IEnumerable<string> Names(IReadOnlyList<KubeObject> items) => items.Select(i => i.Name);

    [Fact]
    public async Task ListAll_FollowsContinueTokensAndKeepsTheFirstPagesVersion()
    {
        var asked = new List<(string? Token, int? Limit)>();
        Task<KindSources.Listed> Server(string? token, int? limit, CancellationToken _)
        {
            asked.Add((token, limit));
            return Task.FromResult(token switch
            {
                null => List("10", "t1", "a", "b"),
                "t1" => List("10", "t2", "c", "d"),
                _ => List("10", "", "e"),
            });
        }

        var (items, version) = await KindSources.ListAllAsync(Server, TestContext.Current.CancellationToken);

        Assert.Equal(["a", "b", "c", "d", "e"], Names(items));
        Assert.Equal("10", version);
        Assert.Equal([(null, KindSources.PageSize), ("t1", KindSources.PageSize), ("t2", KindSources.PageSize)], asked);
    }

    [Fact]
    public async Task ListAll_WhenTheSnapshotExpiresMidway_ListsAgainInOnePiece()
    {
        var asked = new List<(string? Token, int? Limit)>();
        Task<KindSources.Listed> Server(string? token, int? limit, CancellationToken _)
        {
            asked.Add((token, limit));
            if (token == "t1")
            {
                throw new HttpOperationException("gone") { Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.Gone), "") };
            }
            return Task.FromResult(limit is null ? List("12", null, "a", "b", "c") : List("10", "t1", "a", "b"));
        }

        var (items, version) = await KindSources.ListAllAsync(Server, TestContext.Current.CancellationToken);

        Assert.Equal(["a", "b", "c"], Names(items));
        Assert.Equal("12", version);
        Assert.Equal((null, (int?)null), asked[^1]);
    }
}
