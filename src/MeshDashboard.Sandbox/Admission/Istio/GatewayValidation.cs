using System.Text.Json.Nodes;
using static MeshDashboard.Sandbox.Admission.Istio.IstioFindings;

namespace MeshDashboard.Sandbox.Admission.Istio;

/// <summary>
/// A Gateway as istiod's <c>ValidateGateway</c> checks it (istio/istio pkg/config/validation/validation.go): its name a
/// DNS label, at least one server, port names unique; each server with hosts, a port (number 0 only on a unix socket
/// bind), a protocol istiod knows, TLS settings exactly where the protocol needs them (<c>validateServer</c>) and TLS
/// settings that hold together (<c>validateTLSOptions</c>). A TLS block without a mode is PASSTHROUGH, the enum's zero.
/// </summary>
internal static class GatewayValidation
{
    private const string UnixPrefix = "unix://";

    private static readonly HashSet<string> ServerTlsModes = ["PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL"];

    /// <summary>istio/istio pkg/config/protocol: the names <c>Parse</c> knows, in any case.</summary>
    private static readonly HashSet<string> Protocols = new(StringComparer.OrdinalIgnoreCase)
    {
        "TCP", "UDP", "GRPC", "GRPC-WEB", "HTTP", "HTTP_PROXY", "HTTP2", "HTTPS", "TLS", "MONGO", "REDIS", "MYSQL",
    };

    private static readonly HashSet<string> HttpProtocols = new(StringComparer.OrdinalIgnoreCase) { "HTTP", "HTTP2", "HTTP_PROXY", "GRPC", "GRPC-WEB" };

    private static readonly HashSet<string> TlsProtocols = new(StringComparer.OrdinalIgnoreCase) { "HTTPS", "TLS" };

    public static void Validate(string name, JsonObject spec, IstioFindings findings)
    {
        if (!IstioNames.IsLabel(name))
        {
            findings.Error("metadata.name", $"invalid gateway name: \"{name}\"");
        }
        var servers = Items(spec["servers"]);
        if (servers.Count == 0)
        {
            findings.Error("spec.servers", "gateway must have at least one server");
        }
        for (var i = 0; i < servers.Count; i++)
        {
            if (servers[i] is JsonObject server)
            {
                Server(server, $"spec.servers[{i}]", findings);
            }
        }
        var portNames = new HashSet<string>();
        for (var i = 0; i < servers.Count; i++)
        {
            var path = $"spec.servers[{i}]";
            if (servers[i] is not JsonObject server)
            {
                findings.Error(path, "server may not be nil");
                continue;
            }
            if (server["port"] is not JsonObject port)
            {
                continue;
            }
            var portName = Text(port["name"]) ?? "";
            if (!portNames.Add(portName))
            {
                findings.Error($"{path}.port.name", $"port names in servers must be unique: duplicate name {portName}");
            }
            if (!HttpProtocols.Contains(Text(port["protocol"]) ?? "") && IsTrue(server["tls"]?["httpsRedirect"]))
            {
                findings.Warn($"{path}.tls.httpsRedirect", "tls.httpsRedirect should only be used with http servers");
            }
        }
    }

    private static void Server(JsonObject server, string path, IstioFindings findings)
    {
        var hosts = Strings(server["hosts"]);
        if (hosts.Count == 0)
        {
            findings.Error($"{path}.hosts", "server config must contain at least one host");
        }
        for (var h = 0; h < hosts.Count; h++)
        {
            foreach (var problem in IstioNames.GatewayHost(hosts[h]))
            {
                findings.Error($"{path}.hosts[{h}]", problem);
            }
        }
        var bind = Text(server["bind"]) ?? "";
        var port = server["port"] as JsonObject;
        var portValid = Port(port, bind, $"{path}.port", findings);
        Bind(port, bind, $"{path}.bind", findings);
        var tls = server["tls"] as JsonObject;
        TlsOptions(tls, $"{path}.tls", findings);

        if (!portValid)
        {
            return;
        }
        var protocol = Text(port!["protocol"]) ?? "";
        if (TlsProtocols.Contains(protocol) && tls is null)
        {
            findings.Error($"{path}.tls", "server must have TLS settings for HTTPS/TLS protocols");
        }
        else if (!TlsProtocols.Contains(protocol) && tls is not null)
        {
            if (!HttpProtocols.Contains(protocol))
            {
                findings.Error($"{path}.tls", "server cannot have TLS settings for non HTTPS/TLS ports");
            }
            else if (Mode(tls) is not ("PASSTHROUGH" or "AUTO_PASSTHROUGH")
                || HasText(tls["caCertificates"]) || HasText(tls["privateKey"]) || HasText(tls["serverCertificate"]))
            {
                // Only an httpsRedirect (whose TLS block has no mode, so PASSTHROUGH) belongs on a plain HTTP port.
                findings.Error($"{path}.tls", "server cannot have TLS settings for plain text HTTP ports");
            }
        }
    }

    private static string Mode(JsonObject tls) => Text(tls["mode"]) ?? "PASSTHROUGH";

    /// <summary><c>validateServerPort</c>; true when it found nothing wrong.</summary>
    private static bool Port(JsonObject? port, string bind, string path, IstioFindings findings)
    {
        if (port is null)
        {
            findings.Error(path, "port is required");
            return false;
        }
        var valid = true;
        var protocol = Text(port["protocol"]) ?? "";
        if (!Protocols.Contains(protocol))
        {
            findings.Error($"{path}.protocol", $"invalid protocol \"{protocol}\", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP");
            valid = false;
        }
        var number = Integer(port["number"]) ?? 0;
        if ((number > 0 || !bind.StartsWith(UnixPrefix, StringComparison.Ordinal)) && IstioFields.Port(number) is { } problem)
        {
            findings.Error($"{path}.number", problem);
            valid = false;
        }
        if (Integer(port["targetPort"]) is > 0)
        {
            findings.Error($"{path}.targetPort", "targetPort has no impact on Gateways");
            valid = false;
        }
        if (!HasText(port["name"]))
        {
            findings.Error($"{path}.name", "port name must be set");
            valid = false;
        }
        return valid;
    }

    /// <summary><c>validateServerBind</c>: an IP address, or a unix socket (an absolute path or an @abstract name) on port 0.</summary>
    private static void Bind(JsonObject? port, string bind, string path, IstioFindings findings)
    {
        if (bind.StartsWith(UnixPrefix, StringComparison.Ordinal))
        {
            var address = bind[UnixPrefix.Length..];
            if (address.Length == 0)
            {
                findings.Error(path, "unix address must not be empty");
            }
            else if (!address.StartsWith('@') && (!address.StartsWith('/') || address.EndsWith('/')))
            {
                findings.Error(path, $"{address} is not an absolute path to a file");
            }
            if (Integer(port?["number"]) is { } number and not 0)
            {
                findings.Error(path, "port number must be 0 for unix domain socket");
            }
        }
        else if (bind.Length > 0 && !IstioNames.IsIpAddress(bind))
        {
            findings.Error(path, $"{bind} is not a valid IP");
        }
    }

    /// <summary><c>validateTLSOptions</c>.</summary>
    private static void TlsOptions(JsonObject? tls, string path, IstioFindings findings)
    {
        if (tls is null)
        {
            return;
        }
        var mode = Mode(tls);
        if (!ServerTlsModes.Contains(mode))
        {
            findings.Error($"{path}.mode", $"unsupported TLS mode \"{mode}\"");
            return;
        }
        var ciphers = Strings(tls["cipherSuites"]);
        if (Text(tls["minProtocolVersion"]) is "TLSV1_0" or "TLSV1_1" && ciphers.Count == 0)
        {
            findings.Warn($"{path}.minProtocolVersion", "TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include compatible ciphers.");
        }
        var duplicates = ciphers.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key).Order(StringComparer.Ordinal).ToList();
        if (duplicates.Count > 0)
        {
            findings.Warn($"{path}.cipherSuites", $"ignoring duplicate cipher suites: [{string.Join(" ", duplicates)}]");
        }

        var serverCertificate = HasText(tls["serverCertificate"]);
        var privateKey = HasText(tls["privateKey"]);
        var caCertificates = HasText(tls["caCertificates"]);
        var credentialName = HasText(tls["credentialName"]);
        var credentialNames = Count(tls["credentialNames"]) > 0;
        var certificates = Items(tls["tlsCertificates"]);
        var caCrl = HasText(tls["caCrl"]);
        if (mode == "ISTIO_MUTUAL")
        {
            foreach (var (set, what) in new[]
            {
                (serverCertificate, "server certificate"), (privateKey, "private key"), (caCertificates, "CA bundle"),
                (certificates.Count > 0, "tlsCertificates"), (credentialName, "credentialName"), (credentialNames, "credentialNames"),
            })
            {
                if (set)
                {
                    findings.Error(path, $"ISTIO_MUTUAL TLS cannot have associated {what}");
                }
            }
            return;
        }
        if (mode is "PASSTHROUGH" or "AUTO_PASSTHROUGH"
            && (caCrl || serverCertificate || privateKey || caCertificates || certificates.Count > 0 || credentialName || credentialNames))
        {
            findings.Warn(path, $"{mode} mode does not use certificates, they will be ignored");
        }
        var sources = new[] { serverCertificate && privateKey, credentialName, credentialNames, certificates.Count > 0 }.Count(s => s);
        if (sources > 1)
        {
            findings.Error(path, "only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified");
        }
        var terminates = mode is "SIMPLE" or "MUTUAL" or "OPTIONAL_MUTUAL";
        if (terminates && (credentialName || credentialNames))
        {
            // The certificates come from the named secret(s).
            return;
        }
        if (terminates)
        {
            var prefix = mode == "SIMPLE" ? "SIMPLE TLS" : "MUTUAL TLS";
            if (mode != "SIMPLE" && !caCertificates)
            {
                findings.Error($"{path}.caCertificates", $"{prefix} requires a client CA bundle");
            }
            if (certificates.Count > 2)
            {
                findings.Warn($"{path}.tlsCertificates", $"{prefix} can support up to 2 server certificates");
            }
            var pairs = certificates.Count > 0
                ? certificates.Select(c => (HasText(c?["serverCertificate"]), HasText(c?["privateKey"]))).ToList()
                : [(serverCertificate, privateKey)];
            foreach (var (certificate, key) in pairs)
            {
                if (!certificate)
                {
                    findings.Error(path, $"{prefix} requires a server certificate");
                }
                if (!key)
                {
                    findings.Error(path, $"{prefix} requires a private key");
                }
            }
        }
        if (caCrl)
        {
            if (credentialName)
            {
                findings.Error($"{path}.caCrl", "CRL is not supported with credentialName. CRL has to be specified in the credential");
            }
            if (mode == "SIMPLE")
            {
                findings.Error($"{path}.caCrl", "CRL is not supported with SIMPLE TLS");
            }
        }
    }
}
