/** What the visitor opened in this tab: the certificate a file held (it is never put in the URL unless shared). */
export interface OpenedCertificate {
  document: unknown;
  /** The file name, or undefined when the document came from a link. */
  fileName: string | undefined;
}

let opened: OpenedCertificate | undefined;

export function openedCertificate(): OpenedCertificate | undefined {
  return opened;
}

export function openCertificate(certificate: OpenedCertificate | undefined): void {
  opened = certificate;
}
