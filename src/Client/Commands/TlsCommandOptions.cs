using System.CommandLine;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Client.Commands;

/// <summary>
/// <c>--tls-certificate</c>, <c>--tls-key</c>, <c>--tls-trust</c>: the certificate a silo or a client presents to a
/// cluster that runs mutual TLS (<see cref="ClusterTls"/>, docs/security.md). Each defaults to its
/// <c>ORCHESTRATOR_TLS_*</c> variable, so one environment serves a node's silo and its commands.
/// </summary>
internal sealed class TlsCommandOptions
{
    /// <param name="recursive">Whether the options apply to every subcommand of the command they are added to (<c>sweep ...</c>).</param>
    public TlsCommandOptions(bool recursive = false)
    {
        Certificate = new("--tls-certificate")
        {
            HelpName = "FILE", Recursive = recursive,
            Description = $"A cluster with mutual TLS: this node's certificate (PEM, or PKCS#12 without a password); default: {ClusterTls.CertificateVariable}. Every silo and client needs one the cluster trusts.",
        };
        Key = new("--tls-key") { HelpName = "FILE", Recursive = recursive, Description = $"The certificate's PEM private key, when the certificate file holds none (default: {ClusterTls.KeyVariable})." };
        Trust = new("--tls-trust")
        {
            HelpName = "FILE", Recursive = recursive,
            Description = $"PEM certificates (a CA) a peer's certificate must chain to (default: {ClusterTls.TrustVariable}; without it, this node's own certificate).",
        };
    }

    public Option<string?> Certificate { get; }

    public Option<string?> Key { get; }

    public Option<string?> Trust { get; }

    public IEnumerable<Option> All => [Certificate, Key, Trust];

    /// <summary>Adds the options to <paramref name="command"/>; returns it.</summary>
    public Command AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
        return command;
    }

    /// <summary>The option's value, else its variable's; empty when neither is set.</summary>
    public (string Certificate, string Key, string Trust) Files(ParseResult result) =>
        (result.GetValue(Certificate) ?? Environment.GetEnvironmentVariable(ClusterTls.CertificateVariable) ?? "",
         result.GetValue(Key) ?? Environment.GetEnvironmentVariable(ClusterTls.KeyVariable) ?? "",
         result.GetValue(Trust) ?? Environment.GetEnvironmentVariable(ClusterTls.TrustVariable) ?? "");

    /// <summary>The client's TLS settings; null when no certificate is named (TLS off).</summary>
    public ClusterTls? Read(ParseResult result)
    {
        var (certificate, key, trust) = Files(result);
        return ClusterTls.Load(certificate, key, trust);
    }
}
