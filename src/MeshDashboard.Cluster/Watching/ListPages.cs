using System.Net.Http.Headers;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Cluster.Watching;

/// <summary>
/// Reads one page of a list as the API server wrote it, through the client's own HTTP pipeline (its credentials, TLS and
/// handlers), and keeps of each item what the source asks for, read as the page arrives (<see cref="ListPageReader"/>). A first sync is mostly this:
/// at 5,000 services it reads about 100 MB of pods, and building KubernetesClient's typed model of each pod (containers,
/// volumes, statuses) only to keep its labels and readiness cost most of the time to ready and the garbage behind it.
/// </summary>
internal sealed class ListPages
{
    private readonly ItemReader _read;

    /// <summary>Reads one item of a page (the reader on its StartObject, to be left on its EndObject) into what the cache keeps.</summary>
    public delegate KubeObject ItemReader(ref Utf8JsonReader reader);

    /// <param name="read">What of each item the cache keeps.</param>
    public ListPages(ItemReader read) => _read = read;

    /// <param name="client">The cluster; its HTTP client and credentials are used as its generated methods use them.</param>
    /// <param name="path">The list's path, e.g. <c>api/v1/pods</c> or <c>apis/networking.istio.io/v1/virtualservices</c>.</param>
    /// <param name="continueToken">The previous page's continue token; null for the first page.</param>
    /// <param name="limit">Items per page; null for the whole list.</param>
    /// <param name="cancellationToken">Ends the request.</param>
    public async Task<KindSources.Listed> ReadAsync(IKubernetes client, string path, string? continueToken, int? limit, CancellationToken cancellationToken)
    {
        var kubernetes = client as Kubernetes
            ?? throw new ArgumentException("The watch cache lists through KubernetesClient's Kubernetes client.", nameof(client));
        var query = new List<string>();
        if (limit is { } size)
        {
            query.Add("limit=" + size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (continueToken is not null)
        {
            query.Add("continue=" + Uri.EscapeDataString(continueToken));
        }
        var baseUri = kubernetes.BaseUri.AbsoluteUri.EndsWith('/') ? kubernetes.BaseUri : new Uri(kubernetes.BaseUri.AbsoluteUri + "/");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, query.Count == 0 ? path : path + "?" + string.Join('&', query)));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (kubernetes.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }
        using var response = await kubernetes.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The same exception the generated methods throw, so callers tell 404, 403 and 410 apart as before.
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpOperationException($"Operation returned an invalid status code '{response.StatusCode}', response body {body}")
            {
                Request = new HttpRequestMessageWrapper(request, null),
                Response = new HttpResponseMessageWrapper(response, body),
            };
        }
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            // Read as it arrives, one item at a time: a page of pods is several MB.
            var page = await ListPageReader.ReadAsync(stream, _read, cancellationToken).ConfigureAwait(false);
            return new KindSources.Listed(page.Items, page.ResourceVersion, page.Continue);
        }
    }

    /// <summary>The whole object of a kind, owning its values.</summary>
    public static ItemReader Whole(ResourceKind kind) => (ref Utf8JsonReader reader) => new KubeObject(kind, JsonElementNodes.ReadObject(ref reader));
}
