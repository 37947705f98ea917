using System.CommandLine;
using WsPool.Core.Permissions;

namespace WsPool.Cli;

/// <summary>
/// `wspool rbac [--helm-rules]`: the operator's RBAC generated from the permissions in WsPool.Core, as the kubectl /
/// kustomize manifest or as the chart's rule templates. `make crds` writes both into the repository.
/// </summary>
internal static class RbacCommand
{
    public static Command Create(CliIo io)
    {
        var helmRules = new Option<bool>("--helm-rules")
        {
            Description = "Print the Helm chart's templates/_rbac-rules.tpl instead of the ServiceAccount, ClusterRole and binding.",
        };
        var command = new Command("rbac",
            $"Print the operator's RBAC (ServiceAccount, ClusterRole, ClusterRoleBinding in namespace {RbacManifest.Namespace}), generated from its permissions.")
        {
            helmRules,
        };
        command.SetAction(parse =>
        {
            io.Out.Write(parse.GetValue(helmRules) ? HelmRbacRules.ToTemplate() : RbacManifest.ToYaml());
            return ExitCodes.Ok;
        });
        return command;
    }
}
