global using k8s;
global using k8s.Autorest;
global using k8s.Models;
global using WsPool.KubeEmulator;
