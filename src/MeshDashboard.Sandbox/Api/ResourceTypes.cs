namespace MeshDashboard.Sandbox.Api;

/// <summary>
/// The built-in kinds the sandbox serves. Adding a kind here makes it discoverable and usable through every verb; Istio's and
/// Argo Rollouts' kinds come from CustomResourceDefinitions instead (see <see cref="TypeRegistry"/>).
/// </summary>
public static class ResourceTypes
{
    public const string IstioNetworkingGroup = "networking.istio.io";

    public static readonly ResourceType Namespaces = new("", ["v1"], "namespaces", "namespace", "Namespace", Namespaced: false, ["ns"], HasSpecGeneration: false);
    // The kinds in the "all" category are those kube-apiserver puts there that the sandbox serves (pods, services, deployments).
    public static readonly ResourceType Services = new("", ["v1"], "services", "service", "Service", Namespaced: true, ["svc"], HasSpecGeneration: false) { Categories = ["all"] };
    public static readonly ResourceType Pods = new("", ["v1"], "pods", "pod", "Pod", Namespaced: true, ["po"], HasSpecGeneration: false) { Categories = ["all"] };
    public static readonly ResourceType Events = new("", ["v1"], "events", "event", "Event", Namespaced: true, ["ev"], HasSpecGeneration: false);
    public static readonly ResourceType ConfigMaps = new("", ["v1"], "configmaps", "configmap", "ConfigMap", Namespaced: true, ["cm"], HasSpecGeneration: false);
    public static readonly ResourceType Secrets = new("", ["v1"], "secrets", "secret", "Secret", Namespaced: true, [], HasSpecGeneration: false);
    public static readonly ResourceType ServiceAccounts = new("", ["v1"], "serviceaccounts", "serviceaccount", "ServiceAccount", Namespaced: true, ["sa"], HasSpecGeneration: false);
    public static readonly ResourceType Deployments = new("apps", ["v1"], "deployments", "deployment", "Deployment", Namespaced: true, ["deploy"], HasSpecGeneration: true) { Categories = ["all"] };
    public static readonly ResourceType Leases = new("coordination.k8s.io", ["v1"], "leases", "lease", "Lease", Namespaced: true, [], HasSpecGeneration: false);

    /// <summary>events.k8s.io/v1 is another view of core/v1 Events (one storage, fields renamed), as on a real API server.</summary>
    public static readonly ResourceType EventsV1 = new("events.k8s.io", ["v1"], "events", "event", "Event", Namespaced: true, ["ev"], HasSpecGeneration: false);
    public static readonly ResourceType ClusterRoles = new("rbac.authorization.k8s.io", ["v1"], "clusterroles", "clusterrole", "ClusterRole", Namespaced: false, [], HasSpecGeneration: false);
    public static readonly ResourceType ClusterRoleBindings = new("rbac.authorization.k8s.io", ["v1"], "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", Namespaced: false, [], HasSpecGeneration: false);
    public static readonly ResourceType Roles = new("rbac.authorization.k8s.io", ["v1"], "roles", "role", "Role", Namespaced: true, [], HasSpecGeneration: false);
    public static readonly ResourceType RoleBindings = new("rbac.authorization.k8s.io", ["v1"], "rolebindings", "rolebinding", "RoleBinding", Namespaced: true, [], HasSpecGeneration: false);

    public static readonly ResourceType CustomResourceDefinitions = new("apiextensions.k8s.io", ["v1"], "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition",
        Namespaced: false, ["crd", "crds"], HasSpecGeneration: true) { Categories = ["api-extensions"] };

    /// <summary>Not served: named in errors about a write's options, as the API server names PatchOptions.meta.k8s.io.</summary>
    internal static readonly ResourceType PatchOptions = new("meta.k8s.io", ["v1"], "patchoptions", "patchoptions", "PatchOptions", Namespaced: false, [], HasSpecGeneration: false);

    /// <summary>The kinds served without a CustomResourceDefinition.</summary>
    public static IReadOnlyList<ResourceType> BuiltIn { get; } =
    [
        Namespaces, Services, Pods, ConfigMaps, Secrets, ServiceAccounts, Events,
        Deployments, Leases, EventsV1, ClusterRoles, ClusterRoleBindings, Roles, RoleBindings, CustomResourceDefinitions,
    ];
}
