/**
 * Which catalog entities claim which AWS resources, as their
 * `backup-assurance.io/aws-backup-resource-arn` annotations said when read.
 */
export class ResourceClaims {
  static fromEntries(
    entries: Iterable<{ entityRef: string; resourceArns: string[] }>,
  ): ResourceClaims {
    const claims = new Map<string, string[]>();
    for (const { entityRef, resourceArns } of entries) {
      for (const arn of resourceArns) {
        const refs = claims.get(arn) ?? [];
        if (!refs.includes(entityRef)) refs.push(entityRef);
        claims.set(arn, refs);
      }
    }
    return new ResourceClaims(claims);
  }

  private constructor(private readonly claims: Map<string, string[]>) {}

  /** The entities that claim a resource; more than one each get its evidence. */
  entitiesOf(resourceArn: string): string[] {
    return this.claims.get(resourceArn) ?? [];
  }

  get isEmpty(): boolean {
    return this.claims.size === 0;
  }
}

/** Reads the current claims. */
export interface ResourceClaimReader {
  read(): Promise<ResourceClaimsRead>;
}

/** The claims, and the annotation values that named no ARN. */
export interface ResourceClaimsRead {
  claims: ResourceClaims;
  /** `entityRef: value` of each annotation entry that is not an ARN. */
  malformed: string[];
}
