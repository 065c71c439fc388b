import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Fragment } from 'react';

/** A group or user ref written with its kind, such as `group:default/dba`. */
const catalogRefOf = (admin: string) => {
  if (!admin.includes(':')) return undefined;
  try {
    const ref = parseEntityRef(admin);
    return ['group', 'user'].includes(ref.kind.toLocaleLowerCase('en-US'))
      ? ref
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Who can delete backups or disable backup jobs: groups and users link to
 * their catalog pages, anything else (a cloud role, a person's name) is shown
 * as written.
 */
export const BackupAdminList = ({ admins }: { admins: string[] }) => (
  <>
    {admins.map((admin, index) => {
      const ref = catalogRefOf(admin);
      return (
        <Fragment key={admin}>
          {index > 0 && ', '}
          {ref ? <EntityRefLink entityRef={ref} defaultKind="group" /> : admin}
        </Fragment>
      );
    })}
  </>
);
