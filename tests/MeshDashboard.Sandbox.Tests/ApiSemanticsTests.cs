using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Testing;

namespace MeshDashboard.Sandbox.Tests;

/// <summary>API-server semantics at the HTTP level: watches, selectors, metadata the server owns, Status errors.</summary>
public sealed class ApiSemanticsTests : IAsyncLifetime
{
    private readonly TestSandbox _sandbox = new();
    private HttpClient _http = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _sandbox.InitializeAsync();
        _http = _sandbox.CreateHttpClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    private async Task<JsonNode> GetAsync(string path) => JsonNode.Parse(await _http.GetStringAsync(new Uri(path, UriKind.Relative), Cancel))!;

    private async Task<HttpResponseMessage> PatchAsync(string path, string json, string contentType = "application/merge-patch+json") =>
        await _http.PatchAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, contentType), Cancel);

    [Fact]
    public async Task Watch_WithBookmarksAsked_SendsBookmarksCarryingTheCurrentVersion()
    {
        var list = await GetAsync("/apis/networking.istio.io/v1/namespaces/myapp/virtualservices");
        var version = (string)list["metadata"]!["resourceVersion"]!;
        using var response = await _http.GetAsync(new Uri($"/apis/networking.istio.io/v1/namespaces/myapp/virtualservices?watch=true&resourceVersion={version}&allowWatchBookmarks=true", UriKind.Relative),
            HttpCompletionOption.ResponseHeadersRead, Cancel);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Cancel));

        var line = JsonNode.Parse((await reader.ReadLineAsync(Cancel))!)!;

        Assert.Equal("BOOKMARK", (string?)line["type"]);
        Assert.Equal(version, (string?)line["object"]!["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task Watch_FromAVersionOlderThanTheHistory_Answers410Expired()
    {
        await _sandbox.RestartAsync();

        using var response = await _http.GetAsync(new Uri("/apis/networking.istio.io/v1/virtualservices?watch=true&resourceVersion=1", UriKind.Relative), Cancel);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("Expired", (string?)status["reason"]);
    }

    [Fact]
    public async Task List_WithLimit_PagesThroughEveryObjectOnceFromOneVersion()
    {
        var whole = await GetAsync("/api/v1/pods");
        var expected = whole["items"]!.AsArray().Select(Key).ToList();

        var seen = new List<string>();
        var versions = new HashSet<string>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await GetAsync("/api/v1/pods?limit=3" + (token is null ? "" : "&continue=" + Uri.EscapeDataString(token)));
            seen.AddRange(page["items"]!.AsArray().Select(Key));
            versions.Add((string)page["metadata"]!["resourceVersion"]!);
            token = (string?)page["metadata"]!["continue"];
            if (token is not null)
            {
                Assert.Equal(expected.Count - seen.Count, (long)page["metadata"]!["remainingItemCount"]!);
            }
            pages++;
        }
        while (token is not null);

        Assert.Equal(expected, seen);
        Assert.Equal((expected.Count + 2) / 3, pages);
        Assert.Equal((string)whole["metadata"]!["resourceVersion"]!, Assert.Single(versions));
    }

    [Fact]
    public async Task List_ContinueTokenFromBeforeAWrite_ServesTheRestOfTheFirstPagesSnapshot()
    {
        // As etcd serves a chunked list from the revision of its first page: a pod written meanwhile is not seen.
        var first = await GetAsync("/api/v1/pods?limit=2");
        var listVersion = (string)first["metadata"]!["resourceVersion"]!;
        var whole = await GetAsync("/api/v1/pods");
        var expected = whole["items"]!.AsArray().Select(Key).ToList();
        var last = whole["items"]!.AsArray()[^1]!["metadata"]!;
        var lastPod = $"/api/v1/namespaces/{last["namespace"]}/pods/{last["name"]}";
        (await PatchAsync(lastPod, """{"metadata": {"labels": {"touched": "yes"}}}""")).EnsureSuccessStatusCode();

        var rest = await GetAsync("/api/v1/pods?continue=" + Uri.EscapeDataString((string)first["metadata"]!["continue"]!));

        Assert.Equal(expected, first["items"]!.AsArray().Select(Key).Concat(rest["items"]!.AsArray().Select(Key)));
        Assert.Equal(listVersion, (string?)rest["metadata"]!["resourceVersion"]);
        Assert.Null(rest["items"]!.AsArray()[^1]!["metadata"]!["labels"]!["touched"]);
    }

    [Fact]
    public async Task List_ContinueTokenWhoseSnapshotWasDropped_Answers410Expired()
    {
        var first = await GetAsync("/api/v1/pods?limit=2");
        var token = (string)first["metadata"]!["continue"]!;
        var pod = first["items"]!.AsArray()[0]!["metadata"]!;
        // Each write to pods followed by a list makes a newer snapshot; the store keeps a few, the oldest goes first.
        for (var i = 0; i <= MeshDashboard.Sandbox.Storage.ObjectStore.SnapshotsKeptPerList; i++)
        {
            (await PatchAsync($"/api/v1/namespaces/{pod["namespace"]}/pods/{pod["name"]}", $$$$"""{"metadata": {"labels": {"touched": "{{{{i}}}}"}}}""")).EnsureSuccessStatusCode();
            await GetAsync("/api/v1/pods?limit=2");
        }

        using var response = await _http.GetAsync(new Uri("/api/v1/pods?limit=2&continue=" + Uri.EscapeDataString(token), UriKind.Relative), Cancel);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("Expired", (string?)status["reason"]);
    }

    [Fact]
    public async Task List_WithASelectorAndLimit_PagesThroughTheSelectedObjectsOnlyWithoutACount()
    {
        var expected = (await GetAsync("/api/v1/pods?labelSelector=app%3Dreviews"))["items"]!.AsArray().Select(Key).ToList();
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await GetAsync("/api/v1/pods?labelSelector=app%3Dreviews&limit=2" + (token is null ? "" : "&continue=" + Uri.EscapeDataString(token)));
            seen.AddRange(page["items"]!.AsArray().Select(Key));
            token = (string?)page["metadata"]!["continue"];
            // kube-apiserver leaves the count unset when a selector is used.
            Assert.Null(page["metadata"]!["remainingItemCount"]);
        }
        while (token is not null);

        Assert.True(expected.Count > 2);
        Assert.Equal(expected, seen);
    }

    private static string Key(JsonNode? item) => $"{item!["metadata"]!["namespace"]}/{item["metadata"]!["name"]}";

    [Fact]
    public async Task List_WithAContinueTokenItDidNotIssue_IsABadRequest()
    {
        using var response = await _http.GetAsync(new Uri("/api/v1/pods?limit=2&continue=bm90LWEtdG9rZW4", UriKind.Relative), Cancel);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("continue", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_FiltersByLabelAndFieldSelectors()
    {
        var v3 = await GetAsync("/api/v1/namespaces/bookinfo/pods?labelSelector=app%3Dreviews,version%20in%20(v3)");
        var notV1 = await GetAsync("/api/v1/namespaces/bookinfo/pods?labelSelector=app%3Dreviews,version!%3Dv1");
        var byName = await GetAsync("/apis/networking.istio.io/v1/virtualservices?fieldSelector=metadata.name%3Dmyapp-public");

        Assert.Equal(2, v3["items"]!.AsArray().Count);
        Assert.Equal(3, notV1["items"]!.AsArray().Count);
        Assert.Equal("myapp-public", (string?)byName["items"]!.AsArray().Single()!["metadata"]!["name"]);
    }

    [Fact]
    public async Task Update_BumpsGenerationOnlyForSpecChanges_AndKeepsServerOwnedMetadata()
    {
        const string path = "/apis/networking.istio.io/v1/namespaces/myapp/virtualservices/myapp";
        var before = await GetAsync(path);

        (await PatchAsync(path, """{"metadata":{"labels":{"team":"shop"}}}""")).EnsureSuccessStatusCode();
        var labelled = await GetAsync(path);
        (await PatchAsync(path, """{"spec":{"hosts":["myapp","myapp.myapp.svc.cluster.local"]}}""")).EnsureSuccessStatusCode();
        var respecced = await GetAsync(path);

        Assert.Equal((long)before["metadata"]!["generation"]!, (long)labelled["metadata"]!["generation"]!);
        Assert.Equal((long)before["metadata"]!["generation"]! + 1, (long)respecced["metadata"]!["generation"]!);
        Assert.Equal((string?)before["metadata"]!["uid"], (string?)respecced["metadata"]!["uid"]);
        Assert.Equal((string?)before["metadata"]!["creationTimestamp"], (string?)respecced["metadata"]!["creationTimestamp"]);
        Assert.True(long.Parse((string)respecced["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture) >
                    long.Parse((string)labelled["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task StrategicMergePatch_OnACustomResource_Answers415AsARealServerDoes()
    {
        using var response = await PatchAsync("/apis/networking.istio.io/v1/namespaces/myapp/virtualservices/myapp", """{"metadata":{"labels":{"a":"b"}}}""", "application/strategic-merge-patch+json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Errors_AreStatusObjectsWithReasonAndCode()
    {
        using var response = await _http.GetAsync(new Uri("/apis/networking.istio.io/v1/namespaces/myapp/virtualservices/nope", UriKind.Relative), Cancel);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("NotFound", (string?)status["reason"]);
        Assert.Equal(404, (int)status["code"]!);
        Assert.Equal("virtualservices.networking.istio.io \"nope\" not found", (string?)status["message"]);
    }

    [Fact]
    public async Task Create_InANamespaceThatDoesNotExist_IsNotFound()
    {
        using var response = await _http.PostAsync(new Uri("/api/v1/namespaces/ghost/configmaps", UriKind.Relative),
            new StringContent("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}""", Encoding.UTF8, "application/json"), Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
