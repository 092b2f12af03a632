// Errors of the Kubernetes client set-up, in a file of their own so that the CLI can recognise them
// without loading @kubernetes/client-node (`check` and `render` never talk to a cluster).
export class KubeconfigError extends Error {
  readonly code = 'E_KUBECONFIG';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeconfigError';
  }
}
