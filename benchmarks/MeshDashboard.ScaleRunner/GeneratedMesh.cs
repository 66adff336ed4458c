using System.Globalization;
using System.Text.Json.Nodes;

namespace MeshDashboard.ScaleRunner;

/// <summary>
/// Writes a mesh of <c>services</c> services into a sandbox data directory before the sandbox starts (it loads what it
/// finds), in the shape the scale issue measured: per service a Service, three sidecar-injected pods over two or three
/// versions, a DestinationRule with those subsets and a VirtualService with a weighted route; spread over namespaces.
/// Pods carry what a real injected pod carries (the istio-proxy and istio-init containers, their environment,
/// volumes, owner, managed fields and container statuses), so parsing them costs what it costs in a cluster.
/// </summary>
internal static class GeneratedMesh
{
    public const int PodsPerService = 3;

    public static (int Objects, long PodBytes) Write(string dataDirectory, int services, int namespaces)
    {
        var objects = Path.Combine(dataDirectory, "objects");
        var count = 0;
        long podBytes = 0;
        for (var n = 0; n < namespaces; n++)
        {
            Save(objects, "namespaces", "_cluster", Namespace(n));
            count++;
        }
        // The dashboard keeps its history and journal in its own namespace.
        Save(objects, "namespaces", "_cluster", Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"meshdashboard","uid":"00000000-0000-0000-0000-000000000001","resourceVersion":"99","creationTimestamp":"2026-11-01T00:00:00Z"},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}"""));
        var revision = 100L;
        for (var i = 0; i < services; i++)
        {
            var ns = NamespaceOf(i, namespaces);
            var name = ServiceName(i);
            var versions = i % 3 == 0 ? new[] { "v1", "v2", "v3" } : ["v1", "v2"];
            Save(objects, "services", ns, Service(ns, name, ++revision));
            for (var p = 0; p < PodsPerService; p++)
            {
                var pod = Pod(ns, name, versions[p % versions.Length], p, ++revision);
                podBytes += Save(objects, "pods", ns, pod);
            }
            Save(objects, "destinationrules.networking.istio.io", ns, DestinationRule(ns, name, versions, ++revision));
            Save(objects, "virtualservices.networking.istio.io", ns, VirtualService(ns, name, versions, ++revision));
            count += 3 + PodsPerService;
        }
        File.WriteAllText(Path.Combine(dataDirectory, "revision"), (revision + 1).ToString(CultureInfo.InvariantCulture));
        return (count, podBytes);
    }

    public static string NamespaceOf(int service, int namespaces) => "team-" + (service % namespaces).ToString("D2", CultureInfo.InvariantCulture);

    public static string ServiceName(int service) => "svc-" + service.ToString("D5", CultureInfo.InvariantCulture);

    public static string PodName(int service, int pod) => $"{ServiceName(service)}-{Hash(service)}-{Suffix(pod)}";

    private static int Save(string objects, string resource, string folder, JsonObject body)
    {
        var directory = Path.Combine(objects, resource, folder);
        Directory.CreateDirectory(directory);
        var json = body.ToJsonString();
        File.WriteAllText(Path.Combine(directory, (string)body["metadata"]!["name"]! + ".json"), json);
        return json.Length;
    }

    private static JsonObject Namespace(int n) => Parse(Fill("""
        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-@0@","uid":"@1@","resourceVersion":"@2@","creationTimestamp":"2026-11-01T00:00:00Z","labels":{"istio-injection":"enabled"}},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}
        """, n.ToString("D2", CultureInfo.InvariantCulture), Guid.NewGuid(), n + 1));

    private static JsonObject Service(string ns, string name, long rv) => Parse(Fill("""
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"@0@","namespace":"@1@","uid":"@2@","resourceVersion":"@3@","creationTimestamp":"2026-11-01T00:00:00Z","labels":{"app":"@4@","service":"@5@"}},
         "spec":{"selector":{"app":"@6@"},"ports":[{"name":"http","port":9080,"protocol":"TCP","targetPort":9080}],"type":"ClusterIP","clusterIP":"10.96.@7@.@8@","sessionAffinity":"None"},"status":{"loadBalancer":{}}}
        """, name, ns, Guid.NewGuid(), rv, name, name, name, rv % 250, rv / 250 % 250));

    private static JsonObject DestinationRule(string ns, string name, string[] versions, long rv) => Parse(Fill("""
        {"apiVersion":"networking.istio.io/v1","kind":"DestinationRule","metadata":{"name":"@0@","namespace":"@1@","uid":"@2@","resourceVersion":"@3@","generation":1,"creationTimestamp":"2026-11-01T00:00:00Z"},
         "spec":{"host":"@0@","trafficPolicy":{"connectionPool":{"http":{"http1MaxPendingRequests":100}}},"subsets":[@4@]}}
        """, name, ns, Guid.NewGuid(), rv, string.Join(",", versions.Select(v => Fill("""{"name":"@0@","labels":{"version":"@0@"}}""", v)))));

    private static JsonObject VirtualService(string ns, string name, string[] versions, long rv)
    {
        var share = 100 / versions.Length;
        var routes = versions.Select((v, i) => Fill("""{"destination":{"host":"@0@","subset":"@1@"},"weight":@2@}""", name, v, (i == 0 ? 100 - share * (versions.Length - 1) : share)));
        return Parse(Fill("""
            {"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"@0@","namespace":"@1@","uid":"@2@","resourceVersion":"@3@","generation":1,"creationTimestamp":"2026-11-01T00:00:00Z"},
             "spec":{"hosts":["@4@"],"http":[{"name":"weighted","route":[@5@]}]}}
            """, name, ns, Guid.NewGuid(), rv, name, string.Join(",", routes)));
    }

    // The parts of an injected pod that size it: a real one from a 1.2x sidecar injection is 6-9 KB of JSON.
    private static JsonObject Pod(string ns, string name, string version, int index, long rv)
    {
        var env = string.Join(",", Enumerable.Range(0, 18).Select(e => Fill("""{"name":"ISTIO_META_@0@","value":"value-of-setting-@1@-for-@2@"}""", e, e, name)));
        return Parse(Fill("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"@0@","generateName":"@1@-@2@-","namespace":"@3@","uid":"@4@","resourceVersion":"@5@","creationTimestamp":"2026-11-01T00:00:00Z",
              "labels":{"app":"@6@","version":"@7@","pod-template-hash":"@8@","security.istio.io/tlsMode":"istio","service.istio.io/canonical-name":"@9@","service.istio.io/canonical-revision":"@10@"},
              "annotations":{"istio.io/rev":"default","kubectl.kubernetes.io/default-container":"@11@","prometheus.io/path":"/stats/prometheus","prometheus.io/port":"15020","prometheus.io/scrape":"true",
                "sidecar.istio.io/status":"{\"initContainers\":[\"istio-init\"],\"containers\":[\"istio-proxy\"],\"volumes\":[\"workload-socket\",\"credential-socket\",\"workload-certs\",\"istio-envoy\",\"istio-data\",\"istio-podinfo\",\"istio-token\",\"istiod-ca-cert\"],\"imagePullSecrets\":null,\"revision\":\"default\"}"},
              "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"@12@-@13@-@14@","uid":"@15@","controller":true,"blockOwnerDeletion":true}],
              "managedFields":[{"manager":"kube-controller-manager","operation":"Update","apiVersion":"v1","time":"2026-11-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:generateName":{},"f:labels":{".":{},"f:app":{},"f:pod-template-hash":{},"f:version":{}},"f:ownerReferences":{".":{}}},"f:spec":{"f:containers":{},"f:dnsPolicy":{},"f:restartPolicy":{},"f:schedulerName":{},"f:terminationGracePeriodSeconds":{}}}},
                {"manager":"kubelet","operation":"Update","apiVersion":"v1","time":"2026-11-01T00:00:05Z","fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:conditions":{},"f:containerStatuses":{},"f:hostIP":{},"f:initContainerStatuses":{},"f:phase":{},"f:podIP":{},"f:podIPs":{},"f:startTime":{}}},"subresource":"status"}]},
             "spec":{"serviceAccountName":"@16@","nodeName":"node-@17@","restartPolicy":"Always","dnsPolicy":"ClusterFirst","schedulerName":"default-scheduler","terminationGracePeriodSeconds":30,
              "initContainers":[{"name":"istio-init","image":"docker.io/istio/proxyv2:1.24.0","args":["istio-iptables","-p","15001","-z","15006","-u","1337","-m","REDIRECT","-i","*","-x","","-b","*","-d","15090,15021,15020","--log_output_level=default:info"],"resources":{"limits":{"cpu":"2","memory":"1Gi"},"requests":{"cpu":"10m","memory":"40Mi"}},"securityContext":{"capabilities":{"add":["NET_ADMIN","NET_RAW"],"drop":["ALL"]},"runAsUser":0,"runAsNonRoot":false}}],
              "containers":[{"name":"@18@","image":"registry.example.com/@19@/@20@:@21@","ports":[{"containerPort":9080,"protocol":"TCP"}],"resources":{"requests":{"cpu":"100m","memory":"128Mi"}},"volumeMounts":[{"name":"kube-api-access","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","readOnly":true}]},
               {"name":"istio-proxy","image":"docker.io/istio/proxyv2:1.24.0","args":["proxy","sidecar","--domain","$(POD_NAMESPACE).svc.cluster.local","--proxyLogLevel=warning","--proxyComponentLogLevel=misc:error","--log_output_level=default:info"],"env":[@22@],
                "ports":[{"containerPort":15090,"name":"http-envoy-prom","protocol":"TCP"}],"readinessProbe":{"httpGet":{"path":"/healthz/ready","port":15021,"scheme":"HTTP"},"periodSeconds":15,"failureThreshold":4},
                "volumeMounts":[{"name":"workload-socket","mountPath":"/var/run/secrets/workload-spiffe-uds"},{"name":"istiod-ca-cert","mountPath":"/var/run/secrets/istio"},{"name":"istio-data","mountPath":"/var/lib/istio/data"},{"name":"istio-envoy","mountPath":"/etc/istio/proxy"},{"name":"istio-token","mountPath":"/var/run/secrets/tokens"},{"name":"istio-podinfo","mountPath":"/etc/istio/pod"}]}],
              "volumes":[{"name":"workload-socket","emptyDir":{}},{"name":"istio-envoy","emptyDir":{"medium":"Memory"}},{"name":"istio-data","emptyDir":{}},{"name":"istio-podinfo","downwardAPI":{"items":[{"path":"labels","fieldRef":{"fieldPath":"metadata.labels"}},{"path":"annotations","fieldRef":{"fieldPath":"metadata.annotations"}}]}},{"name":"istio-token","projected":{"sources":[{"serviceAccountToken":{"audience":"istio-ca","expirationSeconds":43200,"path":"istio-token"}}]}},{"name":"istiod-ca-cert","configMap":{"name":"istio-ca-root-cert"}}]},
             "status":{"phase":"Running","hostIP":"172.18.0.@23@","podIP":"10.244.@24@.@25@","startTime":"2026-11-01T00:00:01Z","qosClass":"Burstable",
              "conditions":[{"type":"PodReadyToStartContainers","status":"True","lastTransitionTime":"2026-11-01T00:00:03Z"},{"type":"Initialized","status":"True","lastTransitionTime":"2026-11-01T00:00:03Z"},{"type":"Ready","status":"True","lastTransitionTime":"2026-11-01T00:00:05Z"},{"type":"ContainersReady","status":"True","lastTransitionTime":"2026-11-01T00:00:05Z"},{"type":"PodScheduled","status":"True","lastTransitionTime":"2026-11-01T00:00:01Z"}],
              "containerStatuses":[{"name":"@26@","ready":true,"restartCount":0,"started":true,"image":"registry.example.com/@27@/@28@:@29@","imageID":"registry.example.com/@30@/@31@@sha256:@32@","containerID":"containerd://@33@","state":{"running":{"startedAt":"2026-11-01T00:00:04Z"}}},
               {"name":"istio-proxy","ready":true,"restartCount":0,"started":true,"image":"docker.io/istio/proxyv2:1.24.0","imageID":"docker.io/istio/proxyv2@sha256:@34@","containerID":"containerd://@35@","state":{"running":{"startedAt":"2026-11-01T00:00:04Z"}}}]}}
            """, PodName(ServiceIndex(name), index), name, Hash(ServiceIndex(name)), ns, Guid.NewGuid(), rv, name, version, Hash(rv), name, version, name, name, version, Hash(rv), Guid.NewGuid(), name, rv % 7, name, ns, name, version, env, rv % 7 + 2, rv % 250, rv / 250 % 250, name, ns, name, version, ns, name, new string('a', 64), new string('b', 64), new string('c', 64), new string('d', 64)));
    }

    private static int ServiceIndex(string name) => int.Parse(name.AsSpan(4), CultureInfo.InvariantCulture);

    private static string Hash(long seed) => ((seed * 2654435761L) & 0xFFFFFFF).ToString("x7", CultureInfo.InvariantCulture);

    private static string Suffix(int index) => "p" + index.ToString(CultureInfo.InvariantCulture) + "x9z";

    private static JsonObject Parse(string json) => (JsonObject)JsonNode.Parse(json)!;

    // Templates name their values @0@, @1@, …: JSON's own braces stay as they are.
    private static string Fill(string template, params object[] values)
    {
        var text = new System.Text.StringBuilder(template);
        for (var i = 0; i < values.Length; i++)
        {
            text.Replace("@" + i.ToString(CultureInfo.InvariantCulture) + "@", Convert.ToString(values[i], CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
