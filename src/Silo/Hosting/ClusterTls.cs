using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Orchestrator.Silo.Hosting;

/// <summary>
/// Mutual TLS for the cluster's Orleans connections (Microsoft.Orleans.Connections.Security): silo to
/// silo and client to gateway. Every end presents a certificate and accepts only a peer whose certificate
/// chains to the cluster's trust (a CA file, or, without one, the node's own certificate: one self-signed
/// certificate shared by every node). A silo without it cannot join, a client without it cannot call a grain.
/// </summary>
/// <remarks>
/// The peer's name is not checked: silos reach each other by the addresses in the membership table, which
/// a certificate seldom names; holding a key the cluster trusts is the authentication. Hence a CA that
/// signs for this cluster only, never a public one.
/// </remarks>
/// <param name="Certificate">The node's certificate with its private key.</param>
/// <param name="Trusted">The certificates a peer's chain must end in.</param>
public sealed record ClusterTls(X509Certificate2 Certificate, X509Certificate2Collection Trusted)
{
    /// <summary>The client's variables, read by every command that connects to a cluster.</summary>
    public const string CertificateVariable = "ORCHESTRATOR_TLS_CERTIFICATE", KeyVariable = "ORCHESTRATOR_TLS_KEY", TrustVariable = "ORCHESTRATOR_TLS_TRUST";

    /// <summary>
    /// Loads <paramref name="certificate"/> (PEM, or PKCS#12 without a password, by its .pfx/.p12 extension) with
    /// its key from <paramref name="key"/> or the certificate file, and the trusted certificates from
    /// <paramref name="trust"/>; null when <paramref name="certificate"/> is empty (TLS off).
    /// </summary>
    /// <exception cref="InvalidOperationException">A file is missing or holds no usable certificate or key; the message names it.</exception>
    public static ClusterTls? Load(string? certificate, string? key, string? trust)
    {
        if (string.IsNullOrWhiteSpace(certificate)) return null;
        X509Certificate2 own;
        try
        {
            own = Path.GetExtension(certificate).ToLowerInvariant() is ".pfx" or ".p12"
                ? X509CertificateLoader.LoadPkcs12FromFile(certificate, password: null)
                : X509Certificate2.CreateFromPemFile(certificate, string.IsNullOrWhiteSpace(key) ? null : key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"TLS certificate {certificate}{(string.IsNullOrWhiteSpace(key) ? "" : $" (key {key})")}: {e.Message}", e);
        }
        if (!own.HasPrivateKey) throw new InvalidOperationException($"TLS certificate {certificate} has no private key: name the key file (--tls-key).");
        var trusted = new X509Certificate2Collection();
        if (string.IsNullOrWhiteSpace(trust)) trusted.Add(own);
        else
        {
            try
            {
                trusted.ImportFromPemFile(trust);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new InvalidOperationException($"TLS trust file {trust}: {e.Message}", e);
            }
            if (trusted.Count == 0) throw new InvalidOperationException($"TLS trust file {trust} holds no certificate.");
        }
        return new ClusterTls(own, trusted);
    }

    /// <summary>The client's settings, from <see cref="CertificateVariable"/>, <see cref="KeyVariable"/> and <see cref="TrustVariable"/>.</summary>
    public static ClusterTls? FromEnvironment() => Load(
        Environment.GetEnvironmentVariable(CertificateVariable), Environment.GetEnvironmentVariable(KeyVariable), Environment.GetEnvironmentVariable(TrustVariable));

    /// <summary>Applies this to Orleans' TLS options: both ends present a certificate and validate the other's.</summary>
    public void Configure(TlsOptions options)
    {
        options.LocalCertificate = Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        // Replaces the platform's verdict (which would reject a private CA and the name mismatch) with ours.
        options.RemoteCertificateValidation = (remote, _, _) => IsTrusted(remote);
    }

    /// <summary>Whether <paramref name="remote"/> chains to one of <see cref="Trusted"/> alone (the system's roots are not consulted).</summary>
    public bool IsTrusted(X509Certificate2 remote)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(remote);
    }
}
