// wspool-crd-server: the Kubernetes apiextensions-apiserver (CRDs and custom resources, the real validation,
// defaulting, pruning, CEL and server-side apply code) as a stand-alone test server.
//
// The stock apiextensions-apiserver main serves no root discovery (/apis) and no OpenAPI for CRDs: in a cluster the
// kube-aggregator in front of it does both. This main turns them on, so kubectl apply, explain and wait work against
// it directly. It has no core/v1 kinds (Namespaces, ConfigMaps, ...): tests needing those use the emulator.
//
// Built offline by tests/deps/provision in GOPATH mode from Debian's golang-k8s-*-dev packages.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/pflag"

	"k8s.io/apiextensions-apiserver/pkg/apiserver"
	"k8s.io/apiextensions-apiserver/pkg/cmd/server/options"
	generatedopenapi "k8s.io/apiextensions-apiserver/pkg/generated/openapi"
	openapinamer "k8s.io/apiserver/pkg/endpoints/openapi"
	genericapiserver "k8s.io/apiserver/pkg/server"
	"k8s.io/apiserver/pkg/util/openapi"
	"k8s.io/client-go/kubernetes/scheme"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "wspool-crd-server:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx := genericapiserver.SetupSignalContext()
	o := options.NewCustomResourceDefinitionsServerOptions(os.Stdout, os.Stderr)
	flags := pflag.NewFlagSet("wspool-crd-server", pflag.ContinueOnError)
	o.AddFlags(flags)
	if err := flags.Parse(os.Args[1:]); err != nil {
		return err
	}
	if err := o.ServerRunOptions.ComponentGlobalsRegistry.Set(); err != nil {
		return err
	}
	if err := o.Complete(); err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}
	config, err := o.Config()
	if err != nil {
		return err
	}
	// OpenAPI v2 as well as v3: kubectl explain reads v3, older clients and kubectl's validation fall back to v2.
	definitions := openapi.GetOpenAPIDefinitionsWithoutDisabledFeatures(generatedopenapi.GetOpenAPIDefinitions)
	config.GenericConfig.OpenAPIConfig = genericapiserver.DefaultOpenAPIConfig(definitions, openapinamer.NewDefinitionNamer(apiserver.Scheme, scheme.Scheme))
	completed := config.Complete()
	// Complete() turns discovery off because the aggregator serves it in kube-apiserver; here nothing else would.
	// The generic server then serves /apis from its aggregated discovery manager, which the CRD discovery
	// controller keeps filled with every established CRD's group and versions.
	completed.GenericConfig.EnableDiscovery = true
	server, err := completed.New(genericapiserver.NewEmptyDelegate())
	if err != nil {
		return err
	}
	return server.GenericAPIServer.PrepareRun().RunWithContext(ctx)
}
