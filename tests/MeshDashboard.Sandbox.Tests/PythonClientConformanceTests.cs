using System.Text.Json.Nodes;
using MeshDashboard.Testing;

namespace MeshDashboard.Sandbox.Tests;

/// <summary>
/// Debian's python3-kubernetes against the sandbox: watches, custom-object CRUD of every served Istio kind, merge and
/// JSON patches, conflicts, dry runs and list paging, as a second client we did not write sees them.
/// </summary>
public sealed class PythonClientConformanceTests : IAsyncLifetime
{
    private readonly TestSandbox _sandbox = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _sandbox.InitializeAsync();

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    private Task<JsonNode> RunAsync(string script) => PythonClient.RunAsync(_sandbox.KubeconfigPath, script, Cancel);

    [Fact]
    public async Task WatchStream_SeesAddedModifiedAndDeleted()
    {
        var events = await RunAsync("""
            G, V, NS, P = "networking.istio.io", "v1", "bookinfo", "virtualservices"
            since = custom.list_namespaced_custom_object(G, V, NS, P)["metadata"]["resourceVersion"]
            body = {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "py-watch"},
                    "spec": {"hosts": ["ratings"], "http": [{"route": [{"destination": {"host": "ratings"}}]}]}}
            custom.create_namespaced_custom_object(G, V, NS, P, body)
            custom.patch_namespaced_custom_object(G, V, NS, P, "py-watch", {"metadata": {"labels": {"seen": "yes"}}})
            custom.delete_namespaced_custom_object(G, V, NS, P, "py-watch")
            seen = []
            w = watch.Watch()
            # watch.Watch sends watch=True; from the list's version the three changes are replayed in order.
            for event in w.stream(custom.list_namespaced_custom_object, G, V, NS, P, resource_version=since, timeout_seconds=30):
                seen.append([event["type"], event["object"]["metadata"]["name"], event["object"]["metadata"].get("labels", {}).get("seen", "")])
                if event["type"] == "DELETED":
                    w.stop()
            print(json.dumps(seen))
            """);

        Assert.Equal("""[["ADDED","py-watch",""],["MODIFIED","py-watch","yes"],["DELETED","py-watch","yes"]]""", events.ToJsonString());
    }

    public static TheoryData<string, string, string> IstioKinds => new()
    {
        { "VirtualService", "virtualservices", """{"hosts": ["ratings"], "http": [{"route": [{"destination": {"host": "ratings"}}]}]}""" },
        { "DestinationRule", "destinationrules", """{"host": "ratings", "subsets": [{"name": "v1", "labels": {"version": "v1"}}]}""" },
        { "Gateway", "gateways", """{"selector": {"istio": "ingressgateway"}, "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}""" },
        { "ServiceEntry", "serviceentries", """{"hosts": ["api.example.com"], "ports": [{"number": 443, "name": "https", "protocol": "HTTPS"}], "resolution": "DNS"}""" },
        { "Sidecar", "sidecars", """{"egress": [{"hosts": ["./*"]}]}""" },
        { "WorkloadEntry", "workloadentries", """{"address": "10.0.0.7"}""" },
    };

    [Theory]
    [MemberData(nameof(IstioKinds))]
    public async Task CustomObjects_CreateGetListReplacePatchAndDelete_EveryIstioKind(string kind, string plural, string spec)
    {
        var result = await RunAsync($$"""
            G, NS, P = "networking.istio.io", "bookinfo", "{{plural}}"
            out = {}
            body = {"apiVersion": "networking.istio.io/v1beta1", "kind": "{{kind}}", "metadata": {"name": "py"} }
            body["spec"] = {{spec}}
            created = custom.create_namespaced_custom_object(G, "v1beta1", NS, P, body)
            out["createdVersion"] = created["apiVersion"]
            got = custom.get_namespaced_custom_object(G, "v1", NS, P, "py")
            out["sameUid"] = got["metadata"]["uid"] == created["metadata"]["uid"]
            out["listed"] = "py" in [i["metadata"]["name"] for i in custom.list_namespaced_custom_object(G, "v1alpha3", NS, P)["items"]]
            got["metadata"]["labels"] = {"step": "replaced"}
            replaced = custom.replace_namespaced_custom_object(G, "v1", NS, P, "py", got)
            out["replaced"] = replaced["metadata"]["labels"]["step"]
            merged = custom.patch_namespaced_custom_object(G, "v1", NS, P, "py", {"metadata": {"labels": {"step": "merged"} } })
            out["merged"] = merged["metadata"]["labels"]["step"]
            patched = json_patch(f"/apis/{G}/v1/namespaces/{NS}/{P}/py", [{"op": "replace", "path": "/metadata/labels/step", "value": "json-patched"}])
            out["jsonPatched"] = patched["metadata"]["labels"]["step"]
            custom.delete_namespaced_custom_object(G, "v1", NS, P, "py")
            try:
                custom.get_namespaced_custom_object(G, "v1", NS, P, "py")
                out["afterDelete"] = 200
            except ApiException as e:
                out["afterDelete"] = e.status
            print(json.dumps(out))
            """);

        Assert.Equal("networking.istio.io/v1beta1", (string?)result["createdVersion"]);
        Assert.True((bool)result["sameUid"]!);
        Assert.True((bool)result["listed"]!);
        Assert.Equal("replaced", (string?)result["replaced"]);
        Assert.Equal("merged", (string?)result["merged"]);
        Assert.Equal("json-patched", (string?)result["jsonPatched"]);
        Assert.Equal(404, (int)result["afterDelete"]!);
    }

    [Fact]
    public async Task Replace_WithAStaleObject_Answers409AndKeepsTheNewerState()
    {
        var result = await RunAsync("""
            G, V, NS, P = "networking.istio.io", "v1", "bookinfo", "virtualservices"
            stale = custom.get_namespaced_custom_object(G, V, NS, P, "reviews")
            custom.patch_namespaced_custom_object(G, V, NS, P, "reviews", {"metadata": {"labels": {"touched": "first"}}})
            stale["metadata"].setdefault("labels", {})["touched"] = "second"
            out = {}
            try:
                custom.replace_namespaced_custom_object(G, V, NS, P, "reviews", stale)
                out["status"] = 200
            except ApiException as e:
                out["status"] = e.status
                out["reason"] = json.loads(e.body)["reason"]
            out["label"] = custom.get_namespaced_custom_object(G, V, NS, P, "reviews")["metadata"]["labels"]["touched"]
            print(json.dumps(out))
            """);

        Assert.Equal(409, (int)result["status"]!);
        Assert.Equal("Conflict", (string?)result["reason"]);
        Assert.Equal("first", (string?)result["label"]);
    }

    [Fact]
    public async Task DryRunAll_AnswersTheObjectButStoresNothing()
    {
        var result = await RunAsync("""
            out = {}
            body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "dry"}, "data": {"a": "b"}}
            answered = core.create_namespaced_config_map("default", body, dry_run="All")
            out["answered"] = answered.metadata.name
            out["hasVersion"] = answered.metadata.resource_version is not None
            try:
                core.read_namespaced_config_map("dry", "default")
                out["stored"] = True
            except ApiException as e:
                out["stored"] = e.status != 404
            print(json.dumps(out))
            """);

        Assert.Equal("dry", (string?)result["answered"]);
        Assert.False((bool)result["hasVersion"]!);
        Assert.False((bool)result["stored"]!);
    }

    [Fact]
    public async Task ListPaging_WithLimitAndContinue_SeesEveryPodOnce()
    {
        var result = await RunAsync("""
            whole = [p.metadata.namespace + "/" + p.metadata.name for p in core.list_pod_for_all_namespaces().items]
            paged, token, pages = [], None, 0
            while True:
                page = core.list_pod_for_all_namespaces(limit=2, _continue=token) if token else core.list_pod_for_all_namespaces(limit=2)
                paged += [p.metadata.namespace + "/" + p.metadata.name for p in page.items]
                pages += 1
                token = page.metadata._continue
                if not token:
                    break
            print(json.dumps({"whole": whole, "paged": paged, "pages": pages}))
            """);

        var whole = result["whole"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.True(whole.Count > 2);
        Assert.Equal(whole, result["paged"]!.AsArray().Select(n => (string)n!));
        Assert.Equal((whole.Count + 1) / 2, (int)result["pages"]!);
    }

    [Fact]
    public async Task MergePatch_WithAnArrayBody_IsA400Status()
    {
        var result = await RunAsync("""
            out = {}
            try:
                client.ApiClient().call_api("/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices/reviews", "PATCH",
                    header_params={"Content-Type": "application/merge-patch+json", "Accept": "application/json"},
                    body=[], auth_settings=["BearerToken"], _preload_content=False)
                out["status"] = 200
            except ApiException as e:
                out["status"] = e.status
                out["kind"] = json.loads(e.body)["kind"]
            print(json.dumps(out))
            """);

        Assert.Equal(400, (int)result["status"]!);
        Assert.Equal("Status", (string?)result["kind"]);
    }
}
