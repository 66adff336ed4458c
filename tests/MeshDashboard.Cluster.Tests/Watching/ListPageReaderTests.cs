using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Cluster.Tests.Watching;

/// <summary>
/// A list page is read as it arrives: whatever the sizes of the pieces the response comes in, every item is read whole,
/// once, and the page's resourceVersion and continue token are kept. The page shapes follow what the API server writes
/// (kind, apiVersion, metadata, then items) and what the reader must also accept (metadata after the items, null items).
/// </summary>
public sealed class ListPageReaderTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private const string PodTemplate = """
        {"metadata":{"name":"p@I","namespace":"ns","resourceVersion":"@RV","labels":{"app":"a","version":"v@V"},
          "annotations":{"big":"@PAD","escaped":"\"\u00e9\\"},"managedFields":[{"manager":"kubelet","fieldsV1":{"f:status":{}}}],
          "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"a-@I"}]},
         "spec":{"containers":[{"name":"c","ports":[{"containerPort":8080}],"resources":{"limits":{"cpu":1.5}}}]},
         "status":{"phase":"Running","podIP":"10.0.0.@I","conditions":[{"type":"Initialized","status":"True"},{"type":"Ready","status":"@READY"}]}}
        """;

    private static string Pod(int i, string padding = "") => PodTemplate
        .Replace("@RV", (100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@V", (i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@READY", i % 2 == 0 ? "True" : "False", StringComparison.Ordinal)
        .Replace("@PAD", padding, StringComparison.Ordinal)
        .Replace("@I", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static string PageOf(IEnumerable<string> items, string metadata = """{"resourceVersion":"4242","continue":"next-page"}""", bool metadataLast = false) =>
        metadataLast
            ? $$"""{"kind":"PodList","apiVersion":"v1","items":[{{string.Join(',', items)}}],"metadata":{{metadata}}}"""
            : $$"""{"kind":"PodList","apiVersion":"v1","metadata":{{metadata}},"items":[{{string.Join(',', items)}}]}""";

    private static readonly ListPages.ItemReader Pods = (ref Utf8JsonReader reader) => new KubeObject(PodSummary.Read(ref reader));

    private static readonly ListPages.ItemReader Whole = ListPages.Whole(ResourceKind.Service);

    public static TheoryData<int> PieceSizes => [1, 2, 7, 61, 1000, 4096, 300_000];

    [Theory]
    [MemberData(nameof(PieceSizes))]
    public async Task APage_InPiecesOfAnySize_IsReadAsWhole(int pieceSize)
    {
        var json = PageOf(Enumerable.Range(0, 40).Select(i => Pod(i)));

        var whole = await ReadAsync(json, Pods, int.MaxValue);
        var pieces = await ReadAsync(json, Pods, pieceSize);

        Assert.Equal(40, pieces.Items.Count);
        Assert.Equal(whole.Items.Select(i => i.Pod), pieces.Items.Select(i => i.Pod));
        Assert.Equal(Expected(json, PodSummary.Read), pieces.Items.Select(i => i.Pod!));
        Assert.Equal(("4242", "next-page"), (pieces.ResourceVersion, pieces.Continue));
    }

    [Theory]
    [MemberData(nameof(PieceSizes))]
    public async Task NodeTrees_InPiecesOfAnySize_AreTheObjectsAsParsed(int pieceSize)
    {
        var json = PageOf(Enumerable.Range(0, 25).Select(i => Pod(i)), metadataLast: true);

        var pieces = await ReadAsync(json, Whole, pieceSize);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(
            document.RootElement.GetProperty("items").EnumerateArray().Select(item => item.GetRawText()).Select(text => JsonNode.Parse(text)!.ToJsonString()),
            pieces.Items.Select(item => item.Raw.ToJsonString()));
        Assert.Equal(("4242", "next-page"), (pieces.ResourceVersion, pieces.Continue));
    }

    [Fact]
    public async Task AnItemLargerThanTheBuffer_IsReadWhole()
    {
        var large = new string('x', 700_000);
        var json = PageOf([Pod(1), Pod(2, large), Pod(3)]);

        var page = await ReadAsync(json, Whole, 65_536);

        Assert.Equal(3, page.Items.Count);
        Assert.Equal(large, (string?)page.Items[1].Raw["metadata"]!["annotations"]!["big"]);
    }

    [Fact]
    public async Task TheLastPage_HasNoContinueToken_AndNullOrOddItemsAreSkipped()
    {
        var json = $$"""{"apiVersion":"v1","metadata":{"resourceVersion":"7","remainingItemCount":null},"items":[null,{{Pod(1)}},3,"x",[{"a":1}]]}""";

        var page = await ReadAsync(json, Pods, 3);

        Assert.Equal(["p1"], page.Items.Select(i => i.Name));
        Assert.Equal(("7", (string?)null), (page.ResourceVersion, page.Continue));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    public async Task ACutList_IsRefused(int pieceSize)
    {
        var json = PageOf([Pod(1), Pod(2)]);
        var cut = json[..(json.Length - 300)];

        await Assert.ThrowsAnyAsync<JsonException>(() => ReadAsync(cut, Pods, pieceSize));
    }

    private static Task<ListPageReader.Page> ReadAsync(string json, ListPages.ItemReader read, int pieceSize) =>
        ListPageReader.ReadAsync(new PiecesStream(Encoding.UTF8.GetBytes(json), pieceSize), read, Cancel);

    private static IEnumerable<PodSummary> Expected(string json, Func<JsonElement, PodSummary> read)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("items").EnumerateArray().Select(read)];
    }

    /// <summary>A response that hands over at most <c>pieceSize</c> bytes a read, as a network may.</summary>
    private sealed class PiecesStream(byte[] bytes, int pieceSize) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, pieceSize));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, pieceSize)], cancellationToken);
    }
}
