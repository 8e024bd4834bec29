import { notifications } from '@mantine/notifications';

/** A short confirmation that an action took effect (save, rotate, delete). */
export function notifySuccess(title: string, message?: string): void {
  notifications.show({ title, message: message ?? '', color: 'teal', autoClose: 5000, withBorder: true });
}
